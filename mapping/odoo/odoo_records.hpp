#pragma once
// Odoo's customer invoices (account.move, move_type out_invoice) and partners as arcd records.
// Pure. Empty fields arrive as `false`, many2one fields as [id, "display name"], money as
// floats, write_date as "YYYY-MM-DD HH:MM:SS" in UTC truncated to the second.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "arcd/erp_connector.hpp"

namespace arcd::mapping::odoo {

// The fields arcd reads from account.move.
boost::json::array invoice_fields();

// Keyset paging: a page token is "write_date|id" (incremental) or "id" (full sweep) of the
// last record of the page before.
// Incremental: invoices changed at or after `since`, in (write_date, id) order.
boost::json::array changed_invoices_domain(const std::string& since, const std::string& page_token);
// Full sweep: every posted invoice still open, in id order.
boost::json::array open_invoices_domain(const std::string& page_token);
std::string changed_order();
std::string open_order();
std::string page_token_after(const InvoiceRecord& last, bool incremental);

// One account.move row. Throws arcd::Error ERP_FIELD naming the invoice and field.
InvoiceRecord invoice_from(const boost::json::object& row, int line);
// The partner id of a many2one value [id, name] (0 when empty).
std::int64_t many2one_id(const boost::json::object& row, std::string_view key);

// Fills customer e-mail and bank accounts from res.partner rows (id, email) and
// res.partner.bank rows (partner_id, acc_number).
void add_partner_details(std::vector<InvoiceRecord>& invoices, const boost::json::array& partners,
                         const boost::json::array& banks);

// The payment-memo field of account.payment: `ref` before Odoo 18, `memo` from 18.
std::string payment_memo_field(int major_version);

}  // namespace arcd::mapping::odoo
