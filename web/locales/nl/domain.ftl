# Foutmeldingen van de domeinregels (crates/domain). Elke sleutel is de code() van een fout.

## Rijksregisternummer / BIS-nummer

national-number-empty = Vul het rijksregisternummer in.
national-number-wrong-length = Een rijksregisternummer telt 11 cijfers. Controleer het nummer.
national-number-not-digits = Een rijksregisternummer bevat alleen cijfers (punten, streepjes en spaties mogen). Controleer het nummer.
national-number-check-digits = De controlecijfers van dit rijksregisternummer kloppen niet. Controleer het nummer.
national-number-invalid-date = De eerste zes cijfers van dit rijksregisternummer vormen geen geldige geboortedatum. Controleer het nummer.
national-number-invalid-serial = Het volgnummer (het 7e tot 9e cijfer) van een rijksregisternummer kan niet 000 of 999 zijn. Controleer het nummer.
national-number-birth-date-mismatch = Het rijksregisternummer past niet bij de opgegeven geboortedatum. Controleer het nummer en de geboortedatum.
national-number-gender-mismatch = Het rijksregisternummer past niet bij het opgegeven geslacht. Controleer het nummer en het geslacht.

## Ondernemingsnummer (KBO)

kbo-empty = Vul het ondernemingsnummer in.
kbo-wrong-length = Een ondernemingsnummer telt 10 cijfers, bijvoorbeeld 0403.170.701. Controleer het nummer.
kbo-not-digits = Een ondernemingsnummer bevat alleen cijfers (punten, spaties en BE ervoor mogen). Controleer het nummer.
kbo-check-digits = De controlecijfers van dit ondernemingsnummer kloppen niet. Controleer het nummer.
kbo-first-digit = Een ondernemingsnummer begint met 0 of 1. Controleer het nummer.

## E-mailadres

email-empty = Vul het e-mailadres in.
email-too-long = Dit e-mailadres is te lang (maximaal 254 tekens).
email-missing-at = Een e-mailadres bevat een @, bijvoorbeeld naam@bedrijf.be.
email-invalid-local-part = Het deel vóór de @ is ongeldig. Gebruik alleen letters zonder accenten, cijfers en . _ % + - ' en geen punt aan het begin of einde of twee punten na elkaar.
email-invalid-domain = Het deel na de @ is geen geldig domein, bijvoorbeeld bedrijf.be.
email-contains-space = Een e-mailadres mag geen spaties bevatten.

## Aanmeldadres

login-email-free-mail = Gebruik een e-mailadres van de organisatie, geen adres van een gratis provider zoals Gmail, Outlook, Hotmail of Telenet.
login-email-generic = Gebruik een persoonlijk e-mailadres, geen algemeen adres van een dienst zoals info@, hr@ of personeel@.

## Premies: redencodes van regularisaties
premium-reason-new-affiliation = Nieuwe aansluiting
premium-reason-salary = Wijziging van loon of arbeidsbreuk
premium-reason-exit = Uittreding
premium-reason-category-move = Verplaatsing naar een andere categorie
premium-reason-plan-rule = Wijziging van het pensioenreglement

## Invullijst salarissen
salary-empty = Vul het pensioengevend jaarloon in.
salary-not-amount = Dit is geen bedrag. Schrijf het jaarloon in euro, bijvoorbeeld 48.000,00 of 48000.
salary-negative = Een jaarloon kan niet negatief zijn.
salary-too-large = Dit jaarloon is hoger dan 10.000.000,00 €. Controleer het bedrag (een bedrag in cent?).
salary-zero = Een actieve aangeslotene heeft een jaarloon hoger dan 0.
salary-fraction-empty = Vul de arbeidsbreuk in, bijvoorbeeld 1 voor voltijds of 0,8 of 80 %.
salary-fraction-not-number = Dit is geen arbeidsbreuk. Schrijf een getal tussen 0 en 1 (0,8) of een percentage (80 %).
salary-fraction-out-of-range = Een arbeidsbreuk ligt tussen 0 en 1 (0 % en 100 %).
salary-fraction-zero = Een arbeidsbreuk van 0 kan niet: een actieve aangeslotene werkt.
salary-unknown-affiliation = Onbekende aansluiting: deze rij hoort niet bij een aansluiting die u mag beheren. Gebruik de lijst zoals u ze downloadde.
salary-duplicate-affiliation = Deze aansluiting staat al op een eerdere rij; één rij per aansluiting.

contact-subject-required = Vul het onderwerp in.
contact-subject-too-long = Het onderwerp is te lang: ten hoogste 150 tekens.
contact-subject-one-line = Het onderwerp past op één regel.
contact-message-required = Schrijf uw bericht.
contact-message-too-long = Het bericht is te lang: ten hoogste 5 000 tekens.
contact-message-control = Het bericht bevat tekens die geen tekst zijn. Typ het opnieuw of plak het als gewone tekst.
document-title-required = Geef het document een titel.
document-title-too-long = Een titel telt maximaal 150 tekens.
document-title-refused = De titel bevat een onzichtbaar teken of een stuurteken. Typ de titel opnieuw zonder dat teken.

# The operator's plan forms
category-name-too-long = Een categorienaam telt hoogstens 60 tekens.
category-name-invalid = Deze naam bevat tekens die niet in een categorienaam horen.
category-name-taken = Dit contract heeft al een categorie met deze naam.
category-contract-unknown = Kies een contract van deze werkgever.
plan-rate-invalid = Dit is geen percentage. Schrijf bijvoorbeeld 3 of 2,5 %.
plan-rate-out-of-range = Een percentage ligt tussen 0 % en 100 %.
plan-threshold-out-of-range = De grens is een jaarbedrag hoger dan 0 en hoogstens 10.000.000,00 €.
plan-rule-from-out-of-range = Kies een datum vanaf 01/01/2000 en hoogstens een jaar vooruit.
plan-kind-invalid = Kies het soort regel.
plan-rule-category-unknown = Kies een categorie van deze werkgever.
plan-rule-date-taken = Deze categorie heeft al een regel vanaf deze datum.
