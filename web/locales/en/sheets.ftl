# Messages when uploading the Insured overview (crates/sheets): a rejected file, the
# errors and warnings per row, the workbook with errors.

# A text stored before messages had keys: shown unchanged.
stored-text = { $text }

## A rejected file. Each key is the code() of a FileRejection.

-accepted = Save it as an Excel workbook (.xlsx) and upload it again.

upload-empty = The file is empty.
upload-too-large = The file is larger than { $mb } MB. Upload only the Insured overview, without extra sheets or images.
upload-not-a-workbook = This file is not an Excel workbook. { -accepted }
upload-old-excel-format = This is a workbook in the old Excel format (.xls). { -accepted }
upload-password-protected = This workbook is password-protected. Remove the password, save the file as .xlsx and upload it again.
upload-open-document = This is an OpenDocument spreadsheet (.ods). { -accepted }
upload-binary-workbook = This is a binary Excel workbook (.xlsb). { -accepted }
upload-macros = This workbook contains macros (.xlsm). Workbooks with macros are not accepted. { -accepted }
upload-malformed = The file is damaged and cannot be read. { -accepted }
upload-dtd-or-entity = The file contains XML declarations (DOCTYPE or ENTITY) that an Excel workbook should not contain. { -accepted }
upload-suspicious-compression = The file is unusually highly compressed or unpacks to too large a size, so it will not be opened. { -accepted }
upload-too-many-parts = The workbook consists of more than { $max } parts. Upload only the Insured overview.
upload-unsafe-part-name = The workbook contains parts with invalid or duplicate names. { -accepted }
upload-no-header-sheet = No sheet contains the columns "{ $national-number }" and "{ $business-email }". Use the Insured overview you downloaded here and do not change the column headings.
# $columns: the column headings in quotation marks, separated by commas.
upload-missing-columns = The column headings were found, but { $count ->
        [one] this column is missing
       *[other] these columns are missing
    }: { $columns }. Restore the column headings or download the overview again.
upload-duplicate-column = The column "{ $column }" appears twice. Remove one of them and upload the file again.
upload-no-rows = The file contains the column headings, but no row with an insured employee.
upload-no-salary-header-sheet = No sheet contains the columns "{ $affiliation }" and "{ $salary }". Please use the salary list you downloaded here and do not change the column headings.
upload-too-many-rows = The file contains more than { $max } rows. Split it into several files.
upload-too-many-columns = The file contains data beyond column { $max }. Remove the unnecessary columns and upload it again.
upload-too-many-cells = The file contains more than { $max } cells. Upload only the Insured overview, without extra data.

## An error on a row: the reason in the preview and in the workbook with errors.

row-missing-national-number = The national register number is missing: without a number, the row cannot be linked to an insured employee.
row-national-number-empty = The national register number is missing.
row-national-number-wrong-length = { national-number-wrong-length }
row-national-number-not-digits = A national register number contains only digits (dots, hyphens and spaces are allowed).
row-national-number-check-digits = { national-number-check-digits }
row-national-number-invalid-date = The first six digits of this national register number do not form a valid date of birth.
row-national-number-invalid-serial = The serial number (7th to 9th digits) of a national register number cannot be 000 or 999.
row-email-empty = The e-mail address is empty.
row-email-too-long = { email-too-long }
row-email-missing-at = { email-missing-at }
row-email-invalid-local-part = The part before the @ is invalid: only letters without accents, digits and . _ % + - ', with no full stop at the beginning or end and no two full stops in a row.
row-email-invalid-domain = { email-invalid-domain }
row-email-contains-space = { email-contains-space }
row-formula = This cell contains a formula. Type in the value itself: the result of a formula cannot be checked.
row-unknown-employee = There is no insured employee with this national register number in the contracts you manage.
row-conflicting-email = The same employee also appears on row { $row } with a different business e-mail address. An employee has one business e-mail address.

## Warnings: they do not block anything.

-shared-advice = This is allowed, but please check it: usually each employee has their own address.

warning-read-only-ignored = Changes in { $columns } are ignored: only the business e-mail address can be changed with this file.
warning-shared-email-in-file = Row { $row } gives the same business e-mail address to another employee. { -shared-advice }
warning-shared-email-held-elsewhere = { $name } already has this business e-mail address and is not in this file. { -shared-advice }
warning-salary-large-change = The annual salary changes by more than { $percent }% from the current one. Please check the amount; it is accepted nonetheless.

## The workbook with errors

errors-book-file-name = Insured overview errors.xlsx
errors-book-upload-row = Row in upload
errors-book-errors = Errors

## The Insured overview a user downloads (crates/sheets, write.rs). Uploads recognise the
## column headings in every language; do not change them without reason: a workbook
## downloaded with the old heading would no longer be recognised.

# $employer: the employer's number; $date: the date of the request (YYYY-MM-DD).
sheet-file-name = Insured overview { $employer } { $date }.xlsx
sheet-name-insured = Insured
sheet-name-help = Instructions

sheet-col-contract-number = Contract number
sheet-col-category = Staff category
sheet-col-employee-number = Employee number
sheet-col-national-number = National register number
sheet-col-last-name = Last name
sheet-col-first-name = First name
sheet-col-gender = Gender
sheet-col-language = Language
sheet-col-birth-date = Date of birth
sheet-col-employment-start = Employment start date
sheet-col-affiliation-start = Affiliation date
sheet-col-status = Status
sheet-col-end-date = Exit date
sheet-col-business-email = Business e-mail address
sheet-col-private-email-known = Private e-mail address on file

sheet-value-male = Male
sheet-value-female = Female
sheet-value-active = Active
sheet-value-passive = Passive
sheet-value-terminated = Terminated
sheet-value-yes = Yes
sheet-value-no = No

## The instructions sheet: a title and numbered points.

sheet-help-title = Insured overview: how to fill it in
sheet-help-1 = In the "{ sheet-name-insured }" sheet, fill in the "{ sheet-col-business-email }" column: each employee's work e-mail address, for example firstname.lastname@company.be.
sheet-help-2 = Only that column can be changed. The other columns are protected and are for information only: changes to them are ignored on upload.
sheet-help-3 = Leave the cell empty if the employee has no business e-mail address. A known address that you clear is only removed after you confirm this when uploading.
sheet-help-4 = An employee with more than one affiliation appears on more than one row: enter the same address on each row.
sheet-help-5 = Do not change the national register number or the column headings: each row is linked to an insured employee through the national register number. You may change the order of the rows and columns; extra columns are ignored.
sheet-help-6 = Type or paste the addresses as values. Formulas are not accepted.
sheet-help-7 = "{ sheet-col-private-email-known }" is { sheet-value-yes } if the employee has given a private address themselves. You cannot see that address and do not need to fill it in.
sheet-help-8 = Save the file as an Excel workbook (.xlsx; LibreOffice can do this too) and upload it in ebdesk under Uploads. You will first see a summary of the changes and errors; nothing changes until you confirm.
# $rows: the maximum number of rows; $mb: the maximum file size in MB.
sheet-help-9 = A file may contain at most { $rows } rows and be at most { $mb } MB in size.

## Audit log
audit-book-file-name = audit-log.xlsx
audit-book-sheet = Audit log
audit-book-when = When
audit-book-employer = Employer number
audit-book-who = Who
audit-book-event = Event
audit-book-details = What
audit-book-ip = IP address

## Premium statement
premium-book-file-name = Premium statement { $month }.xlsx
premium-book-sheet = Statement { $month }
premium-book-col-month = Month
premium-book-col-contract = Contract
premium-book-col-category = Category
premium-book-col-employee-number = Employee number
premium-book-col-name = Name
premium-book-col-national-number = National number
premium-book-col-salary = Pensionable annual salary
premium-book-col-fraction = Work fraction
premium-book-col-days = Days
premium-book-col-premium = Premium
premium-book-col-reason = Reason code
premium-book-subtotal = Subtotal { $contract } { $category }
premium-book-total = Total

## Salary list
salary-file-name = Salary list { $employer } { $year }.xlsx
salary-sheet-name = Salaries { $year }
salary-col-contract = Contract
salary-col-category = Category
salary-col-employee-number = Employee number
salary-col-name = Name
salary-col-national-number = National number
salary-col-affiliation = Affiliation (do not change)
salary-col-annual-salary = Pensionable annual salary (full time, €)
salary-col-fraction = Work fraction (0-1 or %)

charges-book-file-name = Premiums charged { $year }.xlsx
charges-book-sheet = Premiums charged { $year }
charges-book-col-month = Month
charges-book-col-contract = Contract
charges-book-col-amount = Charged
charges-book-col-paid = Paid
charges-book-col-outstanding = Outstanding
charges-book-col-due = Due date
charges-book-col-status = Status
charges-book-col-communication = Structured communication
charges-book-total = Total of the year

## A document the operator publishes (crates/sheets/src/document.rs): refused.

document-file-empty = The file is empty. Please choose the document again.
document-file-too-large = The file is larger than { $mb } MB. Publish a smaller file.
document-file-unknown-type = This file is not a PDF, an Excel workbook (.xlsx) or a Word document (.docx), whatever its name says. Only those three types can be published.
document-file-macros = This Office file contains macros and is not published. Save it as .xlsx or .docx without macros.
document-file-password-protected = This file is password-protected. Remove the password and choose it again.
document-file-suspicious-compression = The file is unusually highly compressed or unpacks into something too large, so it is not published.
document-file-malformed = The file is damaged and cannot be opened.
