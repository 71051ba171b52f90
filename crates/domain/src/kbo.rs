//! TODO (domain helper)
