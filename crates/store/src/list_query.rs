//! The one builder of the filtered, keyset-paged lists (employees, actions, audit, outbox):
//! the SQL text with `$N` placeholders, its typed bind values, and the paging.
//!
//! `$N` rather than `QueryBuilder`'s `?` on SQLite: the tenant lists refer to `$1`…`$3`
//! (employer and scope) many times over, which `?` cannot, and a list binds a handful of
//! values, far from the hundreds that make `$N` slow on SQLite.

use std::fmt::Write;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sqlx::error::BoxDynError;
use sqlx::query::QueryAs;
use sqlx::{Arguments, AssertSqlSafe, Database, Encode, FromRow, IntoArguments, Type};

use crate::Result;

/// Where a page starts: keyset paging on the sort key, never a deep OFFSET.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListCursor {
    First,
    /// The page after the row with this id.
    After(i64),
    /// The page before the row with this id.
    Before(i64),
}

/// One page of a list, in list order.
#[derive(Debug, Clone, Serialize)]
pub struct Page<T> {
    pub rows: Vec<T>,
    pub has_next: bool,
    pub has_previous: bool,
}

impl<T> Page<T> {
    /// The page out of the rows [`ListQuery::page`] fetched (one more than `limit` when
    /// there are more); a page before the cursor was read backwards and is turned around.
    pub(crate) fn from_fetched(mut rows: Vec<T>, cursor: ListCursor, limit: usize) -> Self {
        let more = rows.len() > limit;
        rows.truncate(limit);
        let (has_next, has_previous) = match cursor {
            ListCursor::First => (more, false),
            ListCursor::After(_) => (more, true),
            ListCursor::Before(_) => {
                rows.reverse();
                (true, more)
            }
        };
        Page {
            rows,
            has_next,
            has_previous,
        }
    }

    /// For the lists paged by [`ListQuery::page_older_than`]: the rows, and the id to ask
    /// for the next (older) page with, None on the last.
    pub(crate) fn into_older(self, id: impl Fn(&T) -> i64) -> (Vec<T>, Option<i64>) {
        let next = self.rows.last().filter(|_| self.has_next).map(id);
        (self.rows, next)
    }

    /// The same page with each row converted.
    pub(crate) fn try_map<U>(self, convert: impl FnMut(T) -> Result<U>) -> Result<Page<U>> {
        Ok(Page {
            rows: self.rows.into_iter().map(convert).collect::<Result<_>>()?,
            has_next: self.has_next,
            has_previous: self.has_previous,
        })
    }
}

/// A value bound to a list query: the types the lists filter on.
#[derive(Debug, Clone)]
pub(crate) enum Bind {
    I64(i64),
    Bool(bool),
    Str(&'static str),
    Text(String),
    Time(DateTime<Utc>),
    Date(NaiveDate),
}

impl From<i64> for Bind {
    fn from(value: i64) -> Self {
        Bind::I64(value)
    }
}

impl From<bool> for Bind {
    fn from(value: bool) -> Self {
        Bind::Bool(value)
    }
}

impl From<&'static str> for Bind {
    fn from(value: &'static str) -> Self {
        Bind::Str(value)
    }
}

impl From<String> for Bind {
    fn from(value: String) -> Self {
        Bind::Text(value)
    }
}

impl From<DateTime<Utc>> for Bind {
    fn from(value: DateTime<Utc>) -> Self {
        Bind::Time(value)
    }
}

impl From<NaiveDate> for Bind {
    fn from(value: NaiveDate) -> Self {
        Bind::Date(value)
    }
}

/// An engine that encodes every [`Bind`]: both of ours.
pub(crate) trait BindEngine: Database {
    fn add(arguments: &mut Self::Arguments, value: Bind) -> Result<(), BoxDynError>;
}

impl<DB> BindEngine for DB
where
    DB: Database,
    i64: for<'q> Encode<'q, DB> + Type<DB>,
    bool: for<'q> Encode<'q, DB> + Type<DB>,
    &'static str: for<'q> Encode<'q, DB> + Type<DB>,
    String: for<'q> Encode<'q, DB> + Type<DB>,
    DateTime<Utc>: for<'q> Encode<'q, DB> + Type<DB>,
    NaiveDate: for<'q> Encode<'q, DB> + Type<DB>,
{
    fn add(arguments: &mut DB::Arguments, value: Bind) -> Result<(), BoxDynError> {
        match value {
            Bind::I64(v) => arguments.add(v),
            Bind::Bool(v) => arguments.add(v),
            Bind::Str(v) => arguments.add(v),
            Bind::Text(v) => arguments.add(v),
            Bind::Time(v) => arguments.add(v),
            Bind::Date(v) => arguments.add(v),
        }
    }
}

/// The arguments of a statement, in `$N` order.
pub(crate) fn arguments<DB: BindEngine>(
    values: impl IntoIterator<Item = Bind>,
) -> Result<DB::Arguments, BoxDynError> {
    let mut arguments = DB::Arguments::default();
    for value in values {
        DB::add(&mut arguments, value)?;
    }
    Ok(arguments)
}

/// How a list is ordered, for keyset paging: by a sort key then the id, or by the id alone.
#[derive(Clone, Copy)]
pub(crate) struct Keyset<'a> {
    /// The listed table's alias with its dot (`e.`), or "" when the query has none.
    pub alias: &'a str,
    /// The column sorted on before the id, and the table the cursor's row is read from
    /// (among the employer's, `$1`); None to sort by the id alone.
    pub key: Option<(&'a str, &'a str)>,
    /// The first page starts at the largest key (newest first).
    pub descending: bool,
    /// Find the matches first, then sort them: the ORDER BY is written as an expression no
    /// index provides (`key || ''`, text keys only). For conditions whose matches lie
    /// together in key order (a name search: everyone called Mertens), where a planner that
    /// expects them spread out walks the key's index until LIMIT, probing each row, and reads
    /// most of the table (PostgreSQL, 100 000 employees: 275 ms instead of 2 ms).
    pub sort_matches: bool,
}

/// The order a read from `cursor` goes in: "ASC" or "DESC" (a page before the cursor reads
/// backwards).
fn reading_direction(keyset: &Keyset<'_>, cursor: ListCursor) -> &'static str {
    let forward = !matches!(cursor, ListCursor::Before(_));
    if forward != keyset.descending {
        "ASC"
    } else {
        "DESC"
    }
}

/// A list query being built: fixed fragments go into the text, every value is bound.
pub(crate) struct ListQuery {
    sql: String,
    binds: Vec<Bind>,
}

impl ListQuery {
    /// Starts with `sql`, whose `$1`, `$2`… are `fixed`, in that order.
    pub(crate) fn new<const N: usize>(sql: impl Into<String>, fixed: [Bind; N]) -> Self {
        ListQuery {
            sql: sql.into(),
            binds: fixed.into(),
        }
    }

    /// Appends a fixed fragment.
    pub(crate) fn push(&mut self, fragment: &str) -> &mut Self {
        self.sql.push_str(fragment);
        self
    }

    /// Appends `fragment`, then the placeholder of `value`.
    pub(crate) fn push_bind(&mut self, fragment: &str, value: impl Into<Bind>) -> &mut Self {
        self.binds.push(value.into());
        self.sql.push_str(fragment);
        // Writing to a String cannot fail.
        let _ = write!(self.sql, "${}", self.binds.len());
        self
    }

    /// Appends the keyset condition of `cursor` and the order, and asks for `limit + 1` rows
    /// so that [`Page::from_fetched`] knows whether there are more. A page before the cursor
    /// reads backwards from it.
    pub(crate) fn page(&mut self, keyset: &Keyset<'_>, cursor: ListCursor, limit: usize) {
        self.push_cursor(keyset, cursor);
        let direction = reading_direction(keyset, cursor);
        let a = keyset.alias;
        let _ = match keyset.key {
            Some((key, _)) if keyset.sort_matches => write!(
                self.sql,
                " ORDER BY {a}{key} || '' {direction}, {a}id {direction} LIMIT {}",
                limit + 1
            ),
            Some((key, _)) => write!(
                self.sql,
                " ORDER BY {a}{key} {direction}, {a}id {direction} LIMIT {}",
                limit + 1
            ),
            None => write!(self.sql, " ORDER BY {a}id {direction} LIMIT {}", limit + 1),
        };
    }

    /// Keeps the rows from `cursor` up to and including the `n`th (`n` >= 1) in the order
    /// it reads: the end of a walk that must stop there, found in the key's index (before
    /// [`ListQuery::page`]). None at all when the list ends before its `n`th row. Only for
    /// lists with a sort key (the others need no bound: their id is their order).
    pub(crate) fn within_rows(&mut self, keyset: &Keyset<'_>, cursor: ListCursor, n: usize) {
        let Some((key, table)) = keyset.key else {
            return;
        };
        let direction = reading_direction(keyset, cursor);
        let op = if direction == "ASC" { "<=" } else { ">=" };
        let a = keyset.alias;
        let _ = write!(
            self.sql,
            " AND ({a}{key}, {a}id) {op} (SELECT b.{key}, b.id FROM {table} b \
               WHERE b.employer_id = $1"
        );
        let bound = Keyset {
            alias: "b.",
            ..*keyset
        };
        self.push_cursor(&bound, cursor);
        let offset = n.saturating_sub(1);
        let _ = write!(
            self.sql,
            " ORDER BY b.{key} {direction}, b.id {direction} LIMIT 1 OFFSET {offset})"
        );
    }

    /// The order of [`ListQuery::page`] alone, for a query around a paged one.
    pub(crate) fn order(&mut self, keyset: &Keyset<'_>, cursor: ListCursor) {
        let direction = reading_direction(keyset, cursor);
        let a = keyset.alias;
        let _ = match keyset.key {
            Some((key, _)) => write!(
                self.sql,
                " ORDER BY {a}{key} {direction}, {a}id {direction}"
            ),
            None => write!(self.sql, " ORDER BY {a}id {direction}"),
        };
    }

    /// The keyset condition of `cursor`: the rows after (or before) its row.
    fn push_cursor(&mut self, keyset: &Keyset<'_>, cursor: ListCursor) {
        if let ListCursor::After(id) | ListCursor::Before(id) = cursor {
            let op = match reading_direction(keyset, cursor) {
                "ASC" => ">",
                _ => "<",
            };
            self.push_key_compare(keyset, op, id);
        }
    }

    /// `AND (key, id) <op> (the key and id of the row id)`, or on the id alone.
    fn push_key_compare(&mut self, keyset: &Keyset<'_>, op: &str, id: i64) {
        let a = keyset.alias;
        match keyset.key {
            Some((key, table)) => {
                let _ = write!(
                    self.sql,
                    " AND ({a}{key}, {a}id) {op} (SELECT k.{key}, k.id FROM {table} k \
                       WHERE k.employer_id = $1 AND k.id = "
                );
                self.push_bind("", id).push(")");
            }
            None => {
                let _ = write!(self.sql, " AND {a}id {op} ");
                self.push_bind("", id);
            }
        }
    }

    /// Pages newest first by the id of `alias` (with its dot, or "") alone, older than
    /// `before_id` when given; answers the cursor for [`Page::from_fetched`].
    pub(crate) fn page_older_than(
        &mut self,
        alias: &str,
        before_id: Option<i64>,
        limit: usize,
    ) -> ListCursor {
        let cursor = before_id.map_or(ListCursor::First, ListCursor::After);
        let keyset = Keyset {
            alias,
            key: None,
            descending: true,
            sort_matches: false,
        };
        self.page(&keyset, cursor, limit);
        cursor
    }

    /// The statement with its arguments, for `fetch_all` on either engine.
    pub(crate) fn build<'q, DB, O>(self) -> Result<QueryAs<'q, DB, O, DB::Arguments>>
    where
        DB: BindEngine,
        DB::Arguments: IntoArguments<DB>,
        O: for<'r> FromRow<'r, DB::Row>,
    {
        let arguments = arguments::<DB>(self.binds).map_err(sqlx::Error::Encode)?;
        Ok(sqlx::query_as_with(AssertSqlSafe(self.sql), arguments))
    }

    #[cfg(test)]
    pub(crate) fn sql(&self) -> &str {
        &self.sql
    }

    #[cfg(test)]
    pub(crate) fn binds(&self) -> &[Bind] {
        &self.binds
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(rows: &Page<i64>) -> (Vec<i64>, bool, bool) {
        (rows.rows.clone(), rows.has_next, rows.has_previous)
    }

    #[test]
    fn pages_know_their_neighbours_and_turn_backward_reads_around() {
        let first = Page::from_fetched(vec![1, 2, 3], ListCursor::First, 2);
        assert_eq!(numbers(&first), (vec![1, 2], true, false));
        let last = Page::from_fetched(vec![3], ListCursor::After(2), 2);
        assert_eq!(numbers(&last), (vec![3], false, true));
        let before = Page::from_fetched(vec![2, 1, 0], ListCursor::Before(3), 2);
        assert_eq!(numbers(&before), (vec![1, 2], true, true));
        let at_start = Page::from_fetched(vec![2, 1], ListCursor::Before(3), 2);
        assert_eq!(numbers(&at_start), (vec![1, 2], true, false));
    }

    #[test]
    fn placeholders_follow_the_fixed_binds_and_the_cursor_reads_its_own_row() {
        let mut q = ListQuery::new("SELECT x.id FROM t x WHERE x.employer_id = $1", [7.into()]);
        q.push_bind(" AND x.kind = ", "a");
        let keyset = Keyset {
            alias: "x.",
            key: Some(("at", "t")),
            descending: true,
            sort_matches: false,
        };
        q.page(&keyset, ListCursor::Before(9), 50);
        assert_eq!(
            q.sql(),
            "SELECT x.id FROM t x WHERE x.employer_id = $1 AND x.kind = $2 \
             AND (x.at, x.id) > (SELECT k.at, k.id FROM t k WHERE k.employer_id = $1 AND k.id = $3) \
             ORDER BY x.at ASC, x.id ASC LIMIT 51"
        );
        let mut q = ListQuery::new("SELECT id FROM t WHERE 1 = 1", []);
        let by_id = Keyset {
            alias: "",
            key: None,
            descending: true,
            sort_matches: false,
        };
        q.page(&by_id, ListCursor::After(9), 10);
        assert_eq!(
            q.sql(),
            "SELECT id FROM t WHERE 1 = 1 AND id < $1 ORDER BY id DESC LIMIT 11"
        );
    }

    #[test]
    fn a_list_that_sorts_its_matches_orders_by_an_expression() {
        let mut q = ListQuery::new(
            "SELECT e.id FROM employees e WHERE e.employer_id = $1",
            [7.into()],
        );
        let keyset = Keyset {
            alias: "e.",
            key: Some(("search_name", "employees")),
            descending: false,
            sort_matches: true,
        };
        q.page(&keyset, ListCursor::First, 50);
        assert!(
            q.sql()
                .ends_with(" ORDER BY e.search_name || '' ASC, e.id ASC LIMIT 51"),
            "{}",
            q.sql()
        );
    }
}
