-- Employee changes (nieuwe aansluiting, uittreding, wijziging persoonsgegevens) are processed
-- actions about one employee: the employee page's "Historiek" reads them by employee.
CREATE INDEX actions_employee ON actions (employer_id, employee_id, id);
