# Meldingen bij het opladen van het overzicht verzekerden (crates/sheets): een geweigerd
# bestand, de fouten en waarschuwingen per rij, de werkmap met fouten.

# Een tekst die bewaard werd voor meldingen een sleutel hadden: ongewijzigd getoond.
stored-text = { $text }

## Een geweigerd bestand. Elke sleutel is de code() van een FileRejection.

-accepted = Bewaar het als Excel-werkmap (.xlsx) en laad het opnieuw op.

upload-empty = Het bestand is leeg.
upload-too-large = Het bestand is groter dan { $mb } MB. Laad alleen het overzicht verzekerden op, zonder extra bladen of afbeeldingen.
upload-not-a-workbook = Dit bestand is geen Excel-werkmap. { -accepted }
upload-old-excel-format = Dit is een werkmap in het oude Excel-formaat (.xls). { -accepted }
upload-password-protected = Deze werkmap is met een wachtwoord beveiligd. Verwijder het wachtwoord, bewaar het bestand als .xlsx en laad het opnieuw op.
upload-open-document = Dit is een OpenDocument-rekenblad (.ods). { -accepted }
upload-binary-workbook = Dit is een binaire Excel-werkmap (.xlsb). { -accepted }
upload-macros = Deze werkmap bevat macro's (.xlsm). Werkmappen met macro's worden niet aanvaard. { -accepted }
upload-malformed = Het bestand is beschadigd en kan niet gelezen worden. { -accepted }
upload-dtd-or-entity = Het bestand bevat XML-declaraties (DOCTYPE of ENTITY) die een Excel-werkmap niet hoort te bevatten. { -accepted }
upload-suspicious-compression = Het bestand is ongewoon sterk gecomprimeerd of pakt uit tot een te groot geheel en wordt daarom niet geopend. { -accepted }
upload-too-many-parts = De werkmap bestaat uit meer dan { $max } onderdelen. Laad alleen het overzicht verzekerden op.
upload-unsafe-part-name = De werkmap bevat onderdelen met ongeldige of dubbele namen. { -accepted }
upload-no-header-sheet = Geen enkel blad bevat de kolommen "{ $national-number }" en "{ $business-email }". Gebruik het overzicht verzekerden dat u hier downloadde en wijzig de kolomtitels niet.
# $columns: de kolomtitels tussen aanhalingstekens, gescheiden door komma's.
upload-missing-columns = De kolomtitels zijn gevonden, maar { $count ->
        [one] deze kolom ontbreekt
       *[other] deze kolommen ontbreken
    }: { $columns }. Voeg de kolomtitel opnieuw toe of download het overzicht opnieuw.
upload-duplicate-column = De kolom "{ $column }" komt twee keer voor. Verwijder een van beide en laad het bestand opnieuw op.
upload-no-rows = Het bestand bevat de kolomtitels, maar geen enkele rij met een verzekerde.
upload-too-many-rows = Het bestand bevat meer dan { $max } rijen. Verdeel het over meerdere bestanden.
upload-too-many-columns = Het bestand bevat gegevens voorbij kolom { $max }. Verwijder de overbodige kolommen en laad het opnieuw op.
upload-too-many-cells = Het bestand bevat meer dan { $max } cellen. Laad alleen het overzicht verzekerden op, zonder extra gegevens.

## Een fout op een rij: de reden in het voorbeeld en in de werkmap met fouten.

row-missing-national-number = Het rijksregisternummer ontbreekt: zonder nummer kan de rij niet aan een verzekerde gekoppeld worden.
row-national-number-empty = Het rijksregisternummer ontbreekt.
row-national-number-wrong-length = { national-number-wrong-length }
row-national-number-not-digits = Een rijksregisternummer bevat alleen cijfers (punten, streepjes en spaties mogen).
row-national-number-check-digits = { national-number-check-digits }
row-national-number-invalid-date = De eerste zes cijfers van dit rijksregisternummer vormen geen geldige geboortedatum.
row-national-number-invalid-serial = Het volgnummer (7e tot 9e cijfer) van een rijksregisternummer kan niet 000 of 999 zijn.
row-email-empty = Het e-mailadres is leeg.
row-email-too-long = { email-too-long }
row-email-missing-at = { email-missing-at }
row-email-invalid-local-part = Het deel vóór de @ is ongeldig: alleen letters zonder accenten, cijfers en . _ % + - ', zonder punt aan het begin of einde of twee punten na elkaar.
row-email-invalid-domain = { email-invalid-domain }
row-email-contains-space = { email-contains-space }
row-formula = Deze cel bevat een formule. Typ de waarde zelf in: de uitkomst van een formule kan niet gecontroleerd worden.
row-unknown-employee = Er is geen verzekerde met dit rijksregisternummer in de contracten die u beheert.
row-conflicting-email = Dezelfde werknemer staat ook op rij { $row } met een ander zakelijk e-mailadres. Een werknemer heeft één zakelijk e-mailadres.

## Waarschuwingen: ze houden niets tegen.

-shared-advice = Dat mag, maar controleer het: meestal heeft elke werknemer een eigen adres.

warning-read-only-ignored = Wijzigingen in { $columns } worden genegeerd: alleen het zakelijk e-mailadres kan via dit bestand gewijzigd worden.
warning-shared-email-in-file = Rij { $row } geeft hetzelfde zakelijk e-mailadres aan een andere werknemer. { -shared-advice }
warning-shared-email-held-elsewhere = { $name } heeft dit zakelijk e-mailadres al en staat niet in dit bestand. { -shared-advice }

## De werkmap met fouten

errors-book-file-name = Fouten overzicht verzekerden.xlsx
errors-book-upload-row = Rij in upload
errors-book-errors = Fouten
