//! The keyset pager under the lists (employees, actions): `?after=` and `?before=` in, the
//! links to the next and the previous page out.

use ebdesk_store::{ListCursor, Page};

/// Which page the query asks for.
pub fn cursor(after: Option<i64>, before: Option<i64>) -> ListCursor {
    match (after, before) {
        (Some(id), _) => ListCursor::After(id),
        (None, Some(id)) => ListCursor::Before(id),
        (None, None) => ListCursor::First,
    }
}

/// Puts `next_after` and `previous_before` (the ids the pager links carry) in `context`.
pub fn insert_pager<T>(context: &mut tera::Context, page: &Page<T>, id: impl Fn(&T) -> i64) {
    context.insert(
        "next_after",
        &page.rows.last().filter(|_| page.has_next).map(&id),
    );
    context.insert(
        "previous_before",
        &page.rows.first().filter(|_| page.has_previous).map(&id),
    );
}
