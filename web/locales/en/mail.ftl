## The bodies of the account e-mails, one key per paragraph (web/templates/mail puts them in order).

mail-greeting = Dear { $name },
mail-greeting-plain = Hello,
mail-signature = ebdesk

mail-access-body = You have been given access to { $employer } in ebdesk. Log in as usual, with your password and the code from your authenticator app, and choose the employer:

mail-activation-body = You have been given access to ebdesk, the employer portal for your group insurance. Please activate your account via this link (valid for 72 hours, can be used once):
mail-activation-app = There you choose a password and register an authenticator app on your smartphone (for example Microsoft Authenticator or Google Authenticator): you always log in with your password and a code from that app.
mail-activation-unexpected = Were you not expecting this e-mail? Then you can ignore it.

mail-invitation-body = { $employer } invites you to work with them in ebdesk using your existing account. You will only get this access once you accept the invitation yourself: log in as usual, with your password and the code from your authenticator app, and under "Invitations" choose Accept or Decline.
mail-invitation-unexpected = Were you not expecting this invitation? Then decline it; nothing will change in your account.

mail-locked-body = An incorrect code was entered 10 times in a row when logging in to your ebdesk account. To protect you, your account has been locked.
mail-locked-next = Please ask the master user of your organisation (or the ebdesk administrator) to unlock your account. Was this not you? Then also use "Forgot password?" to change your password.

mail-password-changed-body = The password of your ebdesk account has just been changed using a reset link. You have been logged out everywhere.
mail-password-changed-not-you = Was this not you? Then immediately request a new reset link with "Forgot password?" at { $link } and notify the ebdesk administrator.

mail-reset-body = You have requested a new password for ebdesk. Please choose it via this link (valid for 1 hour, can be used once):
mail-reset-unexpected = Did you not request this? Then you can ignore this message: your password remains unchanged.

mail-totp-enrolled-body = An authenticator app has just been set up for your ebdesk account. From now on, logging in requires the code from that app.
mail-totp-enrolled-not-you = Was this not you? Then change your password immediately with "Forgot password?" at { $link } and notify the ebdesk administrator: someone else knows your password.

mail-totp-reset-body = The two-step verification of your ebdesk account has just been reset by { $by }. Your authenticator app and your recovery codes no longer work, and you have been logged out everywhere. The next time you log in, you will set up an authenticator app again.
mail-totp-reset-not-you = Did you not ask for this? Then change your password immediately with "Forgot password?" at { $link } and notify the ebdesk administrator.
mail-totp-reset-by-operator = the ebdesk administrator
mail-totp-reset-by-master = the master user of { $employer }

mail-notification-confirm-subject = ebdesk: confirm the new notification address
mail-notification-confirm-body = { $by } asked to make this address the notification address of { $employer } in ebdesk: the employer's notifications will then arrive at this address. Please confirm it via this link (valid for 72 hours, can be used once):
mail-notification-confirm-until = Until someone confirms, notifications keep going to the current notification address.
mail-notification-confirm-unexpected = Were you not expecting this e-mail? Then you can ignore it: nothing will change.
mail-notification-by-master = { $name }, master user,
mail-notification-by-operator = The ebdesk administrator
mail-notification-replaced-subject = ebdesk: the notification address has been changed
mail-notification-replaced-body = This address is no longer the notification address of { $employer } in ebdesk: from now on, notifications go to { $new }. The new address confirmed the change via a link.
mail-notification-replaced-not-you = Did you not know about this? Then contact the master user of { $employer } or the ebdesk administrator immediately.

mail-statement-subject = ebdesk: your premium statement is available
mail-statement-body = The premium statement of { $employer } for the month { $month } has been issued. Log in to ebdesk to find it under Downloads and in the action overview, with the amount to pay, the due date and the structured communication:

mail-reminder-subject = ebdesk: reminder, premiums not yet paid
mail-reminder-body = The premiums of { $employer } for the month { $month }, contract { $contract }, were due by { $due }. We have not yet received the full amount.
mail-reminder-amount = Still to pay: { $amount }, with the structured communication { $communication }.
mail-reminder-paid = Have you paid in the meantime? Then you may ignore this reminder. What is paid and what is outstanding is shown in ebdesk under Premiums charged:

mail-contact-message-subject = ebdesk: new message for your contact point
mail-contact-message-body = There is a new message from { $employer } for the { $kind } contact point. Read and answer it in the ebdesk management console:
mail-contact-answer-subject = ebdesk: answer from your contact point
mail-contact-answer-body = Your contact point has answered your message. Read the answer after logging in to ebdesk, under Correspondence:

mail-digest-subject = ebdesk: new documents
mail-digest-body = Since the last notice, there is news for { $employer } in ebdesk:
mail-digest-documents = { $kind }: { $count ->
    [one] 1 new document
   *[other] { $count } new documents
}
mail-digest-statement = Premium statement of the month { $month }
mail-digest-link = You find everything after logging in to ebdesk, under Documents:
mail-digest-why-address = You receive this e-mail at the notification address of { $employer }, at most one a day.
mail-digest-why-user = You receive this e-mail, at most one a day, because you asked for it on your account page in ebdesk (My account). You can turn it off there.
