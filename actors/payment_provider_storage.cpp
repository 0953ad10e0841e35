// Where the payment provider meets its storage outside the journal: the
// stored rows of an order or a key, when they left the provider's memory.

#include "actors/payment_provider.hpp"

#include <utility>

#include "storage/lazy_reader.hpp"
#include "storage/payment_repo.hpp"

namespace berry {

provider_finder sqlite_provider_finder(std::string db_path) {
  return [reader = storage::lazy_reader(std::move(db_path))](
             const std::string& order_id, const std::string& key) {
    return reader.with([&](storage::statement_cache& cache) {
      return storage::find_provider_payments(cache, order_id, key);
    });
  };
}

} // namespace berry
