#pragma once
// ERP modification stamps as cursors. Odoo writes "2024-05-10 08:15:42" (UTC), ERPNext
// "2024-05-10 08:15:42.123456" (site time), Business Central "2024-05-10T08:15:42.337Z".
// All start with a date and a time to the second, which is all arcd needs to compare them
// and to go back an overlap window.

#include <chrono>
#include <string>

namespace arcd::mapping {

// The stamp `by` earlier, in the same format without fractions ("2024-05-10 08:10:42",
// "2024-05-10T08:10:42Z"); unchanged when it is not a stamp of that shape.
std::string rewind_stamp(const std::string& stamp, std::chrono::seconds by);

// Orders two stamps of one ERP (to the second, then the fraction as written).
bool stamp_before(const std::string& a, const std::string& b);

}  // namespace arcd::mapping
