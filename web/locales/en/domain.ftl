# Error messages of the domain rules (crates/domain). Each key is the code() of an error.

## National register number / BIS number

national-number-empty = Please enter the national register number.
national-number-wrong-length = A national register number has 11 digits. Please check the number.
national-number-not-digits = A national register number contains only digits (dots, hyphens and spaces are allowed). Please check the number.
national-number-check-digits = The check digits of this national register number are incorrect. Please check the number.
national-number-invalid-date = The first six digits of this national register number do not form a valid date of birth. Please check the number.
national-number-invalid-serial = The serial number (the 7th to 9th digits) of a national register number cannot be 000 or 999. Please check the number.
national-number-birth-date-mismatch = The national register number does not match the date of birth entered. Please check the number and the date of birth.
national-number-gender-mismatch = The national register number does not match the gender entered. Please check the number and the gender.

## Company number (CBE)

kbo-empty = Please enter the company number.
kbo-wrong-length = A company number has 10 digits, for example 0403.170.701. Please check the number.
kbo-not-digits = A company number contains only digits (dots, spaces and a leading BE are allowed). Please check the number.
kbo-check-digits = The check digits of this company number are incorrect. Please check the number.
kbo-first-digit = A company number starts with 0 or 1. Please check the number.

## E-mail address

email-empty = Please enter the e-mail address.
email-too-long = This e-mail address is too long (254 characters at most).
email-missing-at = An e-mail address contains an @, for example name@company.be.
email-invalid-local-part = The part before the @ is invalid. Use only letters without accents, digits and . _ % + - ', with no full stop at the beginning or end and no two full stops in a row.
email-invalid-domain = The part after the @ is not a valid domain, such as company.be.
email-contains-space = An e-mail address cannot contain spaces.

## Login address

login-email-free-mail = Please use an e-mail address of the organisation, not an address from a free provider such as Gmail, Outlook, Hotmail or Telenet.
login-email-generic = Please use a personal e-mail address, not a generic address of a department such as info@, hr@ or personnel@.

## Premiums: reason codes of regularisations
premium-reason-new-affiliation = New affiliation
premium-reason-salary = Change of salary or work fraction
premium-reason-exit = Exit
premium-reason-category-move = Move to another category
premium-reason-plan-rule = Change of the pension plan rules

## Salary list
salary-empty = Please enter the pensionable annual salary.
salary-not-amount = This is not an amount. Please write the annual salary in euro, for example 48,000.00 or 48000.
salary-negative = An annual salary cannot be negative.
salary-too-large = This annual salary is above €10,000,000.00. Please check the amount (an amount in cents?).
salary-zero = An active affiliate has an annual salary above 0.
salary-fraction-empty = Please enter the work fraction, for example 1 for full time, 0.8 or 80%.
salary-fraction-not-number = This is not a work fraction. Please write a number between 0 and 1 (0.8) or a percentage (80%).
salary-fraction-out-of-range = A work fraction lies between 0 and 1 (0% and 100%).
salary-fraction-zero = A work fraction of 0 is not possible: an active affiliate works.
salary-unknown-affiliation = Unknown affiliation: this row does not belong to an affiliation you may manage. Please use the list as you downloaded it.
salary-duplicate-affiliation = This affiliation is already on an earlier row; one row per affiliation.

contact-subject-required = Fill in the subject.
contact-subject-too-long = The subject is too long: at most 150 characters.
contact-subject-one-line = The subject fits on one line.
contact-message-required = Write your message.
contact-message-too-long = The message is too long: at most 5,000 characters.
contact-message-control = The message contains characters that are not text. Type it again or paste it as plain text.
document-title-required = Give the document a title.
document-title-too-long = A title can contain at most 150 characters.
document-title-refused = The title contains an invisible or control character. Please type the title again without that character.

# The operator's plan forms
category-name-too-long = A category name has at most 60 characters.
category-name-invalid = This name contains characters that do not belong in a category name.
category-name-taken = This contract already has a category with this name.
category-contract-unknown = Choose one of this employer's contracts.
plan-rate-invalid = This is not a percentage. Write for example 3 or 2.5 %.
plan-rate-out-of-range = A percentage lies between 0 % and 100 %.
plan-threshold-out-of-range = The threshold is a yearly amount above 0 and at most 10,000,000.00 €.
plan-rule-from-out-of-range = Choose a date from 01/01/2000 and at most a year ahead.
plan-kind-invalid = Choose the kind of rule.
plan-rule-category-unknown = Choose one of this employer's categories.
plan-rule-date-taken = This category already has a rule from this date.
