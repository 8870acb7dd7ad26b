-- Schema version 7: the jobs of `evidcheck serve` (docs/api.md). A job is
-- one uploaded claim: recorded as queued once its files are written, so an
-- accepted upload survives any restart; running while its scan child runs
-- (a restart puts it back to queued, counting the attempt); done or failed
-- at the end. Times are Unix seconds (UTC). Progress is kept in the
-- server's memory while a job runs and written here when it ends.
CREATE TABLE job (
	id TEXT PRIMARY KEY,
	scope TEXT NOT NULL,
	status TEXT NOT NULL
		CHECK (status IN ('queued', 'running', 'done', 'failed')),
	created_at INTEGER NOT NULL,
	started_at INTEGER,
	finished_at INTEGER,
	files INTEGER NOT NULL,
	bytes INTEGER NOT NULL,
	files_done INTEGER NOT NULL DEFAULT 0,
	pages_done INTEGER NOT NULL DEFAULT 0,
	pages_total INTEGER NOT NULL DEFAULT 0,
	attempts INTEGER NOT NULL DEFAULT 0,
	verdict TEXT,
	reason TEXT,
	-- why it failed, for programs: deadline, crashed, scan_error,
	-- interrupted, start_failed (docs/api.md)
	reason_code TEXT
);
CREATE INDEX job_status ON job(status, created_at);
