//! xlsx out and in for the domain's sheets (filled by the action-queue issue).
