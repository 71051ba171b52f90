## The bodies of the account e-mails, one key per paragraph (web/templates/mail puts them in order).

mail-greeting = Beste { $name },
mail-greeting-plain = Beste,
mail-signature = ebdesk

mail-access-body = U kreeg in ebdesk toegang tot { $employer }. Meld u aan zoals gewoonlijk, met uw wachtwoord en de code uit uw authenticator-app, en kies de werkgever:

mail-activation-body = U kreeg toegang tot ebdesk, het werkgeversportaal voor uw groepsverzekering. Activeer uw account via deze link (72 uur geldig, één keer te gebruiken):
mail-activation-app = U kiest er een wachtwoord en registreert een authenticator-app op uw smartphone (bijvoorbeeld Microsoft Authenticator of Google Authenticator): aanmelden gebeurt altijd met uw wachtwoord en een code uit die app.
mail-activation-unexpected = Verwachtte u deze e-mail niet? Dan mag u hem negeren.

mail-invitation-body = { $employer } nodigt u uit om in ebdesk met uw bestaande account mee te werken. U krijgt die toegang pas wanneer u de uitnodiging zelf aanvaardt: meld u aan zoals gewoonlijk, met uw wachtwoord en de code uit uw authenticator-app, en kies bij "Uitnodigingen" voor Aanvaarden of Weigeren.
mail-invitation-unexpected = Verwachtte u deze uitnodiging niet? Weiger ze dan; er verandert niets aan uw account.

mail-locked-body = Er werd 10 keer na elkaar een foute code ingegeven bij het aanmelden op uw ebdesk-account. Om u te beschermen is uw account vergrendeld.
mail-locked-next = Vraag de master user van uw organisatie (of de beheerder van ebdesk) om uw account te ontgrendelen. Was u dit niet zelf? Wijzig dan ook uw wachtwoord via "Wachtwoord vergeten".

mail-password-changed-body = Het wachtwoord van uw ebdesk-account werd zopas gewijzigd via een herstellink. U bent overal afgemeld.
mail-password-changed-not-you = Was u dit niet zelf? Vraag dan meteen een nieuwe herstellink aan via "Wachtwoord vergeten" op { $link } en verwittig de beheerder van ebdesk.

mail-reset-body = U vroeg een nieuw wachtwoord aan voor ebdesk. Kies het via deze link (1 uur geldig, één keer te gebruiken):
mail-reset-unexpected = Vroeg u niets aan? Dan mag u dit bericht negeren: uw wachtwoord blijft ongewijzigd.

mail-totp-enrolled-body = Voor uw ebdesk-account werd zopas een authenticator-app ingesteld. Vanaf nu vraagt de aanmelding de code uit die app.
mail-totp-enrolled-not-you = Was u dit niet zelf? Wijzig dan meteen uw wachtwoord via "Wachtwoord vergeten" op { $link } en verwittig de beheerder van ebdesk: iemand anders kent dan uw wachtwoord.

mail-totp-reset-body = De tweestapsverificatie van uw ebdesk-account werd zopas hersteld door { $by }. Uw authenticator-app en uw herstelcodes werken niet meer en u bent overal afgemeld. Bij uw volgende aanmelding stelt u opnieuw een authenticator-app in.
mail-totp-reset-not-you = Hebt u hier niet om gevraagd? Wijzig dan meteen uw wachtwoord via "Wachtwoord vergeten" op { $link } en verwittig de beheerder van ebdesk.
mail-totp-reset-by-operator = de beheerder van ebdesk
mail-totp-reset-by-master = de master user van { $employer }

mail-notification-confirm-subject = ebdesk: bevestig het nieuwe notificatieadres
mail-notification-confirm-body = { $by } vroeg om dit adres het notificatieadres van { $employer } in ebdesk te maken: de meldingen voor de werkgever komen dan op dit adres toe. Bevestig het via deze link (72 uur geldig, één keer te gebruiken):
mail-notification-confirm-until = Tot iemand bevestigt, blijven de meldingen naar het huidige notificatieadres gaan.
mail-notification-confirm-unexpected = Verwachtte u deze e-mail niet? Dan mag u hem negeren: er verandert niets.
mail-notification-by-master = { $name }, master user,
mail-notification-by-operator = De beheerder van ebdesk
mail-notification-replaced-subject = ebdesk: het notificatieadres werd gewijzigd
mail-notification-replaced-body = Dit adres is niet langer het notificatieadres van { $employer } in ebdesk: vanaf nu gaan de meldingen naar { $new }. Dat nieuwe adres bevestigde de wijziging via een link.
mail-notification-replaced-not-you = Wist u hier niet van? Neem dan meteen contact op met de master user van { $employer } of met de beheerder van ebdesk.

mail-statement-subject = ebdesk: uw premiebordereel is beschikbaar
mail-statement-body = Het premiebordereel van { $employer } voor de maand { $month } is opgemaakt. U vindt het na aanmelding in ebdesk onder Downloads en in Overzicht acties, met het te betalen bedrag, de vervaldag en de gestructureerde mededeling:

mail-reminder-subject = ebdesk: herinnering, premies nog niet betaald
mail-reminder-body = De premies van { $employer } voor de maand { $month }, contract { $contract }, waren te betalen uiterlijk op { $due }. Wij ontvingen nog niet het volledige bedrag.
mail-reminder-amount = Nog te betalen: { $amount }, met de gestructureerde mededeling { $communication }.
mail-reminder-paid = Hebt u intussen betaald? Dan mag u deze herinnering negeren. Wat betaald is en wat openstaat, ziet u in ebdesk onder Aangerekende premies:

mail-contact-message-subject = ebdesk: nieuw bericht voor uw contactpunt
mail-contact-message-body = Er is een nieuw bericht van { $employer } voor het contactpunt { $kind }. U leest en beantwoordt het in de beheerconsole van ebdesk:
mail-contact-answer-subject = ebdesk: antwoord van uw contactpunt
mail-contact-answer-body = Uw contactpunt heeft uw bericht beantwoord. U leest het antwoord na aanmelding in ebdesk, onder Correspondentie:

mail-digest-subject = ebdesk: nieuwe documenten
mail-digest-body = Sinds de vorige melding kwam er in ebdesk nieuws voor { $employer }:
mail-digest-documents = { $kind }: { $count ->
    [one] 1 nieuw document
   *[other] { $count } nieuwe documenten
}
mail-digest-statement = Premiebordereel van de maand { $month }
mail-digest-link = U vindt alles na aanmelding in ebdesk, onder Documenten:
mail-digest-why-address = U ontvangt deze e-mail op het notificatieadres van { $employer }, ten hoogste één per dag.
mail-digest-why-user = U ontvangt deze e-mail, ten hoogste één per dag, omdat u erom vroeg op uw accountpagina in ebdesk (Mijn account). Daar zet u hem ook weer af.
