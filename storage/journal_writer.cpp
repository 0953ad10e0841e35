#include "storage/journal_writer.hpp"

#include <exception>
#include <optional>
#include <utility>

#include "storage/sqlite_commands.hpp"

namespace berry::storage {

namespace {

group_result all_failed(std::size_t n, const std::string& message) {
  group_result out;
  out.batches.assign(n, batch_result{batch_status::failed, message});
  return out;
}

} // namespace

journal_writer::journal_writer(database db) : db_(std::move(db)), cache_(db_) {}

batch_result journal_writer::run_batch(const journal_batch& batch) {
  try {
    savepoint sp{db_, "journal_batch"};
    for (const auto& cmd : batch.commands)
      apply(cache_, cmd);
    sp.release();
    return {batch_status::committed, {}};
  } catch (const db_error& e) {
    // The savepoint guard has undone this batch's statements.
    auto status =
        e.is_constraint() ? batch_status::conflict : batch_status::failed;
    return {status, e.what()};
  } catch (const std::exception& e) {
    return {batch_status::failed, e.what()};
  }
}

group_result
journal_writer::commit(const std::vector<const journal_batch*>& batches) {
  std::optional<transaction> tx;
  try {
    tx.emplace(db_);
  } catch (const std::exception& e) {
    return all_failed(batches.size(), e.what());
  }
  group_result out;
  out.batches.reserve(batches.size());
  bool any_stored = false;
  for (const auto* batch : batches) {
    out.batches.push_back(run_batch(*batch));
    // Some errors (disk full, I/O) make SQLite roll back the whole
    // transaction: what looked stored before is gone, so nothing is.
    if (!db_.in_transaction())
      return all_failed(batches.size(), out.batches.back().message);
    if (out.batches.back().status == batch_status::committed) {
      any_stored = true;
      out.commands += batch->commands.size();
    }
  }
  if (!any_stored) {
    try {
      tx->rollback();
    } catch (const std::exception&) {
      // Only the empty transaction was left; each batch has its answer.
    }
    return out;
  }
  try {
    tx->commit();
  } catch (const std::exception& e) {
    return all_failed(batches.size(), e.what());
  }
  out.committed = true;
  out.seq = ++seq_;
  return out;
}

} // namespace berry::storage
