#include "storage/journal_writer.hpp"

#include <exception>
#include <optional>
#include <utility>

#include "storage/sqlite_commands.hpp"

namespace berry::storage {

namespace {

// Transaction control, prepared once like every other statement of the
// journal (sqlite3_exec parsed each again: two per batch, two per group).
constexpr const char* begin_sql = "BEGIN IMMEDIATE";
constexpr const char* commit_sql = "COMMIT";
constexpr const char* rollback_sql = "ROLLBACK";
constexpr const char* savepoint_sql = "SAVEPOINT journal_batch";
constexpr const char* release_sql = "RELEASE journal_batch";
constexpr const char* undo_sql = "ROLLBACK TO journal_batch";

} // namespace

void journal_writer::run(const char* sql) {
  auto& stmt = cache_.get(sql);
  try {
    stmt.run();
  } catch (...) {
    stmt.reset();
    throw;
  }
  stmt.reset();
}

void journal_writer::undo_batch() noexcept {
  // Some errors have rolled the whole transaction back already; then the
  // caller reports that.
  if (!db_.in_transaction())
    return;
  try {
    run(undo_sql);
    run(release_sql);
  } catch (const std::exception&) {
    // The enclosing transaction is gone; commit() sees it.
  }
}

void journal_writer::roll_back() noexcept {
  try {
    if (db_.in_transaction())
      run(rollback_sql);
  } catch (const std::exception&) {
    // Nothing left to undo: SQLite already rolled back on its own.
  }
}

journal_writer::journal_writer(database db) : db_(std::move(db)), cache_(db_) {}

batch_result journal_writer::run_batch(const journal_batch& batch) {
  try {
    run(savepoint_sql);
  } catch (const db_error& e) {
    return {batch_status::failed, e.what()};
  }
  try {
    for (const auto& cmd : batch.commands)
      apply(cache_, cmd);
    run(release_sql);
    return {batch_status::committed, {}};
  } catch (const db_error& e) {
    undo_batch();
    auto status =
        e.is_constraint() ? batch_status::conflict : batch_status::failed;
    return {status, e.what()};
  } catch (const std::exception& e) {
    undo_batch();
    return {batch_status::failed, e.what()};
  }
}

bool journal_writer::begin(std::string& error) {
  try {
    run(begin_sql);
    return true;
  } catch (const std::exception& e) {
    error = e.what();
    return false;
  }
}

group_result journal_writer::finish(group_result out) {
  try {
    run(commit_sql);
  } catch (const std::exception& e) {
    roll_back();
    return all_failed(out.batches.size(), e.what());
  }
  out.committed = true;
  out.seq = ++seq_;
  return out;
}

std::optional<group_result>
journal_writer::commit_all(const std::vector<const journal_batch*>& batches) {
  group_result out;
  try {
    for (const auto* batch : batches) {
      for (const auto& cmd : batch->commands)
        apply(cache_, cmd);
      out.commands += batch->commands.size();
    }
  } catch (const std::exception&) {
    roll_back();
    return std::nullopt;
  }
  out.batches.assign(batches.size(), batch_result{batch_status::committed, {}});
  return finish(std::move(out));
}

group_result
journal_writer::commit_each(const std::vector<const journal_batch*>& batches) {
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
    // Only the empty transaction was left; each batch has its answer.
    roll_back();
    return out;
  }
  return finish(std::move(out));
}

group_result
journal_writer::commit(const std::vector<const journal_batch*>& batches) {
  std::string error;
  if (!begin(error))
    return all_failed(batches.size(), error);
  // Nearly every group stores whole: then no batch needs a savepoint of its
  // own (each copied every page it touched into SQLite's sub-journal, and
  // cost two statements). A group with a refused batch is rolled back and
  // run again, batch by batch.
  if (auto all = commit_all(batches))
    return std::move(*all);
  if (!begin(error))
    return all_failed(batches.size(), error);
  return commit_each(batches);
}

} // namespace berry::storage
