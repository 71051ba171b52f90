-- The employee list's search and periods (SQLite). Keep in step with
-- migrations/postgres/0011_employee_list.sql.
--
-- Every word of an employee's search_name, once: the employee search matches each typed word
-- as the start of some word of the name, in any order, as a range on (employer_id, word).
-- The store writes the words wherever it writes search_name (insert, change of personal
-- data), computed in Rust (ebdesk_domain::search::name_words); existing employees get them
-- here by splitting their stored search_name at its single spaces, which gives the same words.
-- WITHOUT ROWID: the rows are their key, stored once in the primary key's b-tree.

CREATE TABLE employee_name_words (
    employer_id INTEGER NOT NULL,
    employee_id INTEGER NOT NULL,
    word TEXT NOT NULL,
    PRIMARY KEY (employer_id, employee_id, word),
    FOREIGN KEY (employer_id, employee_id) REFERENCES employees (employer_id, id)
) WITHOUT ROWID;
CREATE INDEX employee_name_words_by_word ON employee_name_words (employer_id, word, employee_id);

-- The list's entry and exit periods find the affiliations that started or ended in them.
CREATE INDEX affiliations_started ON affiliations (employer_id, affiliation_start);
CREATE INDEX affiliations_ended ON affiliations (employer_id, end_date);

-- backfill
INSERT INTO employee_name_words (employer_id, employee_id, word)
WITH RECURSIVE split (employer_id, employee_id, word, rest) AS (
    SELECT employer_id, id, '', search_name || ' ' FROM employees
    UNION ALL
    SELECT employer_id, employee_id, substr(rest, 1, instr(rest, ' ') - 1),
        substr(rest, instr(rest, ' ') + 1)
    FROM split WHERE rest <> ''
)
SELECT DISTINCT employer_id, employee_id, word FROM split WHERE word <> '';
