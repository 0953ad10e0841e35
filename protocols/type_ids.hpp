#pragma once

// The one type-ID block of the program: every message type and atom of Berry.
// Register it with cfg.add_message_types<caf::id_block::berry>().

#include <caf/atom.hpp>
#include <caf/type_id.hpp>

#include "protocols/commerce.hpp"
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
CAF_ADD_TYPE_ID(berry, (berry::user_account))
CAF_ADD_TYPE_ID(berry, (berry::cart_line))
CAF_ADD_TYPE_ID(berry, (berry::order_line))
CAF_ADD_TYPE_ID(berry, (berry::delivery_address))
CAF_ADD_TYPE_ID(berry, (berry::reserve_request))
CAF_ADD_TYPE_ID(berry, (berry::reservation))
CAF_ADD_TYPE_ID(berry, (berry::payment_request))
CAF_ADD_TYPE_ID(berry, (berry::payment_result))
CAF_ADD_TYPE_ID(berry, (berry::status_change))
CAF_ADD_TYPE_ID(berry, (berry::order_record))
CAF_ADD_TYPE_ID(berry, (berry::checkout_request))
CAF_ADD_TYPE_ID(berry, (std::vector<berry::cart_line>))
CAF_ADD_TYPE_ID(berry, (std::vector<berry::order_line>))
CAF_ADD_TYPE_ID(berry, (std::vector<berry::order_record>))

CAF_ADD_ATOM(berry, berry, write_atom, "write")
CAF_ADD_ATOM(berry, berry, flush_atom, "flush")
CAF_ADD_ATOM(berry, berry, stats_atom, "stats")
CAF_ADD_ATOM(berry, berry, stock_atom, "stock")
CAF_ADD_ATOM(berry, berry, avail_atom, "avail")
CAF_ADD_ATOM(berry, berry, publish_atom, "publish")
CAF_ADD_ATOM(berry, berry, ready_atom, "ready")
CAF_ADD_ATOM(berry, berry, reserve_atom, "reserve")
CAF_ADD_ATOM(berry, berry, commit_atom, "commit")
CAF_ADD_ATOM(berry, berry, release_atom, "release")
CAF_ADD_ATOM(berry, berry, restock_atom, "restock")
CAF_ADD_ATOM(berry, berry, expire_atom, "expire")
CAF_ADD_ATOM(berry, berry, charge_atom, "charge")
CAF_ADD_ATOM(berry, berry, refund_atom, "refund")
CAF_ADD_ATOM(berry, berry, status_atom, "status")
CAF_ADD_ATOM(berry, berry, checkout_atom, "checkout")
CAF_ADD_ATOM(berry, berry, cancel_atom, "cancel")
CAF_ADD_ATOM(berry, berry, return_atom, "return")
CAF_ADD_ATOM(berry, berry, wait_atom, "wait")
CAF_ADD_ATOM(berry, berry, list_atom, "list")
CAF_ADD_ATOM(berry, berry, step_atom, "step")
CAF_ADD_ATOM(berry, berry, product_atom, "product")

CAF_END_TYPE_ID_BLOCK(berry)
