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
upload-no-salary-header-sheet = Geen enkel blad bevat de kolommen "{ $affiliation }" en "{ $salary }". Gebruik de invullijst salarissen die u hier downloadde en wijzig de kolomtitels niet.
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
warning-salary-large-change = Het jaarloon wijzigt meer dan { $percent } % tegenover het huidige jaarloon. Controleer het bedrag; het wordt wel aanvaard.

## De werkmap met fouten

errors-book-file-name = Fouten overzicht verzekerden.xlsx
errors-book-upload-row = Rij in upload
errors-book-errors = Fouten

## Het overzicht verzekerden dat een gebruiker downloadt (crates/sheets, write.rs). De
## kolomtitels herkent het opladen in elke taal; wijzig ze niet zonder reden: een werkmap
## die met de oude titel gedownload werd, wordt dan niet meer herkend.

# $employer: het nummer van de werkgever; $date: de datum van de aanvraag (JJJJ-MM-DD).
sheet-file-name = Overzicht verzekerden { $employer } { $date }.xlsx
sheet-name-insured = Verzekerden
sheet-name-help = Uitleg

sheet-col-contract-number = Contractnummer
sheet-col-category = Categorie
sheet-col-employee-number = Werknemersnummer
sheet-col-national-number = Rijksregisternummer
sheet-col-last-name = Naam
sheet-col-first-name = Voornaam
sheet-col-gender = Geslacht
sheet-col-language = Taal
sheet-col-birth-date = Geboortedatum
sheet-col-employment-start = Datum in dienst
sheet-col-affiliation-start = Datum aansluiting
sheet-col-status = Status
sheet-col-end-date = Datum uittreding
sheet-col-business-email = Zakelijk e-mailadres
sheet-col-private-email-known = Privé e-mailadres gekend

sheet-value-male = Man
sheet-value-female = Vrouw
sheet-value-active = Actief
sheet-value-passive = Passief
sheet-value-terminated = Beëindigd
sheet-value-yes = Ja
sheet-value-no = Nee

## Het blad met uitleg: een titel en genummerde punten.

sheet-help-title = Overzicht verzekerden: zo vult u het in
sheet-help-1 = Vul in het blad "{ sheet-name-insured }" de kolom "{ sheet-col-business-email }" in: het e-mailadres op het werk van elke werknemer, bijvoorbeeld voornaam.naam@bedrijf.be.
sheet-help-2 = Alleen die kolom kan gewijzigd worden. De andere kolommen zijn beveiligd en dienen ter informatie: wijzigingen daarin worden bij het opladen genegeerd.
sheet-help-3 = Laat de cel leeg als de werknemer geen zakelijk e-mailadres heeft. Een gekend adres dat u leegmaakt, wordt pas verwijderd nadat u dat bij het opladen bevestigt.
sheet-help-4 = Een werknemer met meer dan één aansluiting staat op meer dan één rij: vul op elke rij hetzelfde adres in.
sheet-help-5 = Wijzig het rijksregisternummer en de kolomtitels niet: elke rij wordt via het rijksregisternummer aan een verzekerde gekoppeld. De volgorde van rijen en kolommen mag u wijzigen; extra kolommen worden genegeerd.
sheet-help-6 = Typ of plak de adressen als waarden. Formules worden niet aanvaard.
sheet-help-7 = "{ sheet-col-private-email-known }" is { sheet-value-yes } als de werknemer zelf een privé-adres opgaf. Dat adres ziet u niet en hoeft u niet in te vullen.
sheet-help-8 = Bewaar het bestand als Excel-werkmap (.xlsx; ook vanuit LibreOffice) en laad het op bij Downloads en uploads. U ziet eerst een overzicht van de wijzigingen en de fouten; er verandert niets tot u bevestigt.
# $rows: het grootste aantal rijen; $mb: de grootste bestandsgrootte in MB.
sheet-help-9 = Een bestand mag maximaal { $rows } rijen tellen en { $mb } MB groot zijn.

## Auditlog
audit-book-file-name = auditlog.xlsx
audit-book-sheet = Auditlog
audit-book-when = Wanneer
audit-book-employer = Nummer inrichter
audit-book-who = Wie
audit-book-event = Gebeurtenis
audit-book-details = Wat
audit-book-ip = IP-adres

## Premiebordereel
premium-book-file-name = Premiebordereel { $month }.xlsx
premium-book-sheet = Premiebordereel { $month }
premium-book-col-month = Maand
premium-book-col-contract = Contract
premium-book-col-category = Categorie
premium-book-col-employee-number = Werknemersnummer
premium-book-col-name = Naam
premium-book-col-national-number = Rijksregisternummer
premium-book-col-salary = Pensioengevend jaarloon
premium-book-col-fraction = Arbeidsbreuk
premium-book-col-days = Dagen
premium-book-col-premium = Premie
premium-book-col-reason = Redencode
premium-book-subtotal = Subtotaal { $contract } { $category }
premium-book-total = Totaal

## Invullijst salarissen
salary-file-name = Invullijst salarissen { $employer } { $year }.xlsx
salary-sheet-name = Salarissen { $year }
salary-col-contract = Contract
salary-col-category = Categorie
salary-col-employee-number = Werknemersnummer
salary-col-name = Naam
salary-col-national-number = Rijksregisternummer
salary-col-affiliation = Aansluiting (niet wijzigen)
salary-col-annual-salary = Pensioengevend jaarloon (voltijds, €)
salary-col-fraction = Arbeidsbreuk (0-1 of %)

charges-book-file-name = Aangerekende premies { $year }.xlsx
charges-book-sheet = Aangerekende premies { $year }
charges-book-col-month = Maand
charges-book-col-contract = Contract
charges-book-col-amount = Aangerekend
charges-book-col-paid = Betaald
charges-book-col-outstanding = Openstaand
charges-book-col-due = Vervaldag
charges-book-col-status = Status
charges-book-col-communication = Gestructureerde mededeling
charges-book-total = Totaal van het jaar

## Een document dat de beheerder publiceert (crates/sheets/src/document.rs): geweigerd.

document-file-empty = Het bestand is leeg. Kies het document opnieuw.
document-file-too-large = Het bestand is groter dan { $mb } MB. Publiceer een kleiner bestand.
document-file-unknown-type = Dit bestand is geen PDF-, Excel- (.xlsx) of Word-document (.docx), wat de naam ook zegt. Alleen die drie soorten kunnen gepubliceerd worden.
document-file-macros = Dit Office-bestand bevat macro's en wordt niet gepubliceerd. Bewaar het als .xlsx of .docx zonder macro's.
document-file-password-protected = Dit bestand is met een wachtwoord beveiligd. Verwijder het wachtwoord en kies het opnieuw.
document-file-suspicious-compression = Het bestand is ongewoon sterk gecomprimeerd of pakt uit tot een te groot geheel en wordt daarom niet gepubliceerd.
document-file-malformed = Het bestand is beschadigd en kan niet geopend worden.
