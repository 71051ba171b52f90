//! The background worker that runs queued actions (filled by the action-queue issue).
