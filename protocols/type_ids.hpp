#pragma once

// The one type-ID block of the program: every message type and atom of Berry.
// Register it with cfg.add_message_types<caf::id_block::berry>().

#include <caf/atom.hpp>
#include <caf/type_id.hpp>

#include "protocols/types.hpp"

CAF_BEGIN_TYPE_ID_BLOCK(berry, caf::first_custom_type_id)

  CAF_ADD_TYPE_ID(berry, (berry::geo_point))
  CAF_ADD_TYPE_ID(berry, (berry::category))
  CAF_ADD_TYPE_ID(berry, (berry::product))
  CAF_ADD_TYPE_ID(berry, (berry::warehouse_info))
  CAF_ADD_TYPE_ID(berry, (berry::courier_info))
  CAF_ADD_TYPE_ID(berry, (berry::stock_level))
  CAF_ADD_TYPE_ID(berry, (berry::product_availability))
  CAF_ADD_TYPE_ID(berry, (berry::availability_report))
  CAF_ADD_TYPE_ID(berry, (berry::db_value))
  CAF_ADD_TYPE_ID(berry, (berry::db_statement))
  CAF_ADD_TYPE_ID(berry, (berry::db_batch))
  CAF_ADD_TYPE_ID(berry, (berry::journal_stats))
  CAF_ADD_TYPE_ID(berry, (std::vector<berry::category>))
  CAF_ADD_TYPE_ID(berry, (std::vector<berry::product>))
  CAF_ADD_TYPE_ID(berry, (std::vector<berry::stock_level>))

  CAF_ADD_ATOM(berry, berry, write_atom, "write")
  CAF_ADD_ATOM(berry, berry, flush_atom, "flush")
  CAF_ADD_ATOM(berry, berry, stats_atom, "stats")
  CAF_ADD_ATOM(berry, berry, stock_atom, "stock")
  CAF_ADD_ATOM(berry, berry, avail_atom, "avail")
  CAF_ADD_ATOM(berry, berry, publish_atom, "publish")
  CAF_ADD_ATOM(berry, berry, ready_atom, "ready")

CAF_END_TYPE_ID_BLOCK(berry)
