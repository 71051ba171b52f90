## Le corps des e-mails de compte, une clé par paragraphe (web/templates/mail les met dans l'ordre).

mail-greeting = Bonjour { $name },
mail-greeting-plain = Bonjour,
mail-signature = ebdesk

mail-access-body = Vous avez désormais accès à { $employer } dans ebdesk. Connectez-vous comme d'habitude, avec votre mot de passe et le code de votre application d'authentification, puis choisissez l'employeur :

mail-activation-body = Vous avez désormais accès à ebdesk, le portail employeur de votre assurance groupe. Activez votre compte via ce lien (valable 72 heures, utilisable une seule fois) :
mail-activation-app = Vous y choisirez un mot de passe et enregistrerez une application d'authentification sur votre smartphone (par exemple Microsoft Authenticator ou Google Authenticator) : la connexion se fait toujours avec votre mot de passe et un code de cette application.
mail-activation-unexpected = Vous n'attendiez pas cet e-mail ? Vous pouvez l'ignorer.

mail-invitation-body = { $employer } vous invite à collaborer dans ebdesk avec votre compte existant. Vous n'obtiendrez cet accès qu'après avoir accepté vous-même l'invitation : connectez-vous comme d'habitude, avec votre mot de passe et le code de votre application d'authentification, puis choisissez "Accepter" ou "Refuser" sous "Invitations".
mail-invitation-unexpected = Vous n'attendiez pas cette invitation ? Refusez-la ; rien ne changera pour votre compte.

mail-locked-body = Un code erroné a été saisi 10 fois de suite lors de la connexion à votre compte ebdesk. Pour vous protéger, votre compte a été verrouillé.
mail-locked-next = Demandez à l'utilisateur principal de votre organisation (ou à l'administrateur d'ebdesk) de déverrouiller votre compte. Ce n'était pas vous ? Modifiez alors aussi votre mot de passe via "Mot de passe oublié".

mail-password-changed-body = Le mot de passe de votre compte ebdesk vient d'être modifié au moyen d'un lien de réinitialisation. Toutes vos sessions ont été fermées.
mail-password-changed-not-you = Ce n'était pas vous ? Demandez alors immédiatement un nouveau lien de réinitialisation via "Mot de passe oublié" sur { $link } et prévenez l'administrateur d'ebdesk.

mail-reset-body = Vous avez demandé un nouveau mot de passe pour ebdesk. Choisissez-le via ce lien (valable 1 heure, utilisable une seule fois) :
mail-reset-unexpected = Vous n'avez rien demandé ? Vous pouvez ignorer ce message : votre mot de passe reste inchangé.

mail-totp-enrolled-body = Une application d'authentification vient d'être configurée pour votre compte ebdesk. Désormais, la connexion demande le code de cette application.
mail-totp-enrolled-not-you = Ce n'était pas vous ? Modifiez alors immédiatement votre mot de passe via "Mot de passe oublié" sur { $link } et prévenez l'administrateur d'ebdesk : quelqu'un d'autre connaît votre mot de passe.

mail-totp-reset-body = L'authentification à deux facteurs de votre compte ebdesk vient d'être réinitialisée par { $by }. Votre application d'authentification et vos codes de récupération ne fonctionnent plus, et toutes vos sessions ont été fermées. Lors de votre prochaine connexion, vous configurerez à nouveau une application d'authentification.
mail-totp-reset-not-you = Vous n'avez pas demandé cette réinitialisation ? Modifiez alors immédiatement votre mot de passe via "Mot de passe oublié" sur { $link } et prévenez l'administrateur d'ebdesk.
mail-totp-reset-by-operator = l'administrateur d'ebdesk
mail-totp-reset-by-master = l'utilisateur principal de { $employer }

mail-notification-confirm-subject = ebdesk : confirmez la nouvelle adresse de notification
mail-notification-confirm-body = { $by } a demandé que cette adresse devienne l'adresse de notification de { $employer } dans ebdesk : les notifications destinées à l'employeur arriveront alors à cette adresse. Confirmez-le via ce lien (valable 72 heures, utilisable une seule fois) :
mail-notification-confirm-until = Tant que personne n'a confirmé, les notifications continuent d'aller à l'adresse de notification actuelle.
mail-notification-confirm-unexpected = Vous n'attendiez pas cet e-mail ? Vous pouvez l'ignorer : rien ne change.
mail-notification-by-master = { $name }, utilisateur principal,
mail-notification-by-operator = L'administrateur d'ebdesk
mail-notification-replaced-subject = ebdesk : l'adresse de notification a été modifiée
mail-notification-replaced-body = Cette adresse n'est plus l'adresse de notification de { $employer } dans ebdesk : les notifications vont désormais à { $new }. Cette nouvelle adresse a confirmé la modification via un lien.
mail-notification-replaced-not-you = Vous n'étiez pas au courant ? Contactez alors immédiatement l'utilisateur principal de { $employer } ou l'administrateur d'ebdesk.

mail-statement-subject = ebdesk : votre bordereau de primes est disponible
mail-statement-body = Le bordereau de primes de { $employer } pour le mois { $month } est établi. Après connexion, vous le trouverez dans ebdesk sous Téléchargements et dans l'aperçu des actions, avec le montant à payer, l'échéance et la communication structurée :

mail-reminder-subject = ebdesk : rappel, primes non encore payées
mail-reminder-body = Les primes de { $employer } pour le mois { $month }, contrat { $contract }, étaient à payer au plus tard le { $due }. Nous n'avons pas encore reçu le montant complet.
mail-reminder-amount = Reste à payer : { $amount }, avec la communication structurée { $communication }.
mail-reminder-paid = Avez-vous payé entre-temps ? Dans ce cas, vous pouvez ignorer ce rappel. Ce qui est payé et ce qui reste dû figure dans ebdesk sous Primes facturées :

mail-contact-message-subject = ebdesk : nouveau message pour votre point de contact
mail-contact-message-body = Un nouveau message de { $employer } est arrivé pour le point de contact { $kind }. Vous le lisez et y répondez dans la console de gestion d'ebdesk :
mail-contact-answer-subject = ebdesk : réponse de votre point de contact
mail-contact-answer-body = Votre point de contact a répondu à votre message. Vous lisez la réponse après connexion à ebdesk, sous Correspondance :

mail-digest-subject = ebdesk : nouveaux documents
mail-digest-body = Depuis le dernier avis, il y a du nouveau pour { $employer } dans ebdesk :
mail-digest-documents = { $kind } : { $count ->
    [one] 1 nouveau document
   *[other] { $count } nouveaux documents
}
mail-digest-statement = Bordereau de primes du mois { $month }
mail-digest-link = Vous trouvez tout après connexion à ebdesk, sous Documents :
mail-digest-why-address = Vous recevez cet e-mail à l'adresse de notification de { $employer }, au plus un par jour.
mail-digest-why-user = Vous recevez cet e-mail, au plus un par jour, parce que vous l'avez demandé sur votre page de compte dans ebdesk (Mon compte). Vous pouvez l'y désactiver.
