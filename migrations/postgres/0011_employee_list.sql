-- The employee list's search and periods (PostgreSQL). Keep in step with
-- migrations/sqlite/0011_employee_list.sql.
--
-- Every word of an employee's search_name, once: the employee search matches each typed word
-- as the start of some word of the name, in any order, as a range on (employer_id, word).
-- The store writes the words wherever it writes search_name (insert, change of personal
-- data), computed in Rust (ebdesk_domain::search::name_words); existing employees get them
-- here by splitting their stored search_name at its single spaces, which gives the same words.

CREATE TABLE employee_name_words (
    employer_id BIGINT NOT NULL,
    employee_id BIGINT NOT NULL,
    word TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (employer_id, employee_id, word),
    FOREIGN KEY (employer_id, employee_id) REFERENCES employees (employer_id, id)
);
CREATE INDEX employee_name_words_by_word ON employee_name_words (employer_id, word, employee_id);

-- The list's entry and exit periods find the affiliations that started or ended in them.
CREATE INDEX affiliations_started ON affiliations (employer_id, affiliation_start);
CREATE INDEX affiliations_ended ON affiliations (employer_id, end_date);

-- backfill
INSERT INTO employee_name_words (employer_id, employee_id, word)
SELECT DISTINCT e.employer_id, e.id, w.word
FROM employees e
CROSS JOIN LATERAL unnest(string_to_array(e.search_name, ' ')) AS w (word)
WHERE w.word <> '';
