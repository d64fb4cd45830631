-- arcd schema 9 (postgresql): claiming outbox events walks a destination's pending events in id order
-- and stops at the batch size. The old index on (status, next_attempt_at) made the planner
-- collect every due event and sort them for each claim: a claim cost grew with the backlog
-- (30 ms per claim at 50 000 pending). Events backing off are stepped over in the walk; a
-- target that is down has its breaker open and is not claimed from meanwhile.
DROP INDEX outbox_due;
CREATE INDEX outbox_claimable ON outbox(destination, status, id);
