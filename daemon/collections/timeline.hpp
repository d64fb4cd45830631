#pragma once
// A customer's contact history in one timeline: activities (calls, notes, emails sent and
// bounced, promises, disputes, holds, write-offs), reminders queued, stage changes and tasks,
// each with who and when, oldest first.

#include <string>
#include <vector>

#include "arcd/store.hpp"

namespace arcd::collections {

struct TimelineItem {
  std::string at;    // ISO 8601 instant, or a date for stage changes (the run's day)
  std::string kind;  // call, note, email, ptp, dispute, hold, writeoff, stage, reminder, task, ...
  std::string text;
  Actor actor;
};

std::vector<TimelineItem> timeline(Transaction& tx, CustomerId customer);

}  // namespace arcd::collections
