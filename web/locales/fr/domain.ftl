# Messages d'erreur des règles du domaine (crates/domain). Chaque clé est le code() d'une erreur.

## Numéro de registre national / numéro BIS

national-number-empty = Indiquez le numéro de registre national.
national-number-wrong-length = Un numéro de registre national compte 11 chiffres. Vérifiez le numéro.
national-number-not-digits = Un numéro de registre national ne contient que des chiffres (les points, tirets et espaces sont admis). Vérifiez le numéro.
national-number-check-digits = Les chiffres de contrôle de ce numéro de registre national ne sont pas corrects. Vérifiez le numéro.
national-number-invalid-date = Les six premiers chiffres de ce numéro de registre national ne forment pas une date de naissance valable. Vérifiez le numéro.
national-number-invalid-serial = Le numéro d'ordre (du 7e au 9e chiffre) d'un numéro de registre national ne peut pas être 000 ni 999. Vérifiez le numéro.
national-number-birth-date-mismatch = Le numéro de registre national ne correspond pas à la date de naissance indiquée. Vérifiez le numéro et la date de naissance.
national-number-gender-mismatch = Le numéro de registre national ne correspond pas au sexe indiqué. Vérifiez le numéro et le sexe.

## Numéro d'entreprise (BCE)

kbo-empty = Indiquez le numéro d'entreprise.
kbo-wrong-length = Un numéro d'entreprise compte 10 chiffres, par exemple 0403.170.701. Vérifiez le numéro.
kbo-not-digits = Un numéro d'entreprise ne contient que des chiffres (les points, les espaces et le préfixe BE sont admis). Vérifiez le numéro.
kbo-check-digits = Les chiffres de contrôle de ce numéro d'entreprise ne sont pas corrects. Vérifiez le numéro.
kbo-first-digit = Un numéro d'entreprise commence par 0 ou 1. Vérifiez le numéro.

## Adresse e-mail

email-empty = Indiquez l'adresse e-mail.
email-too-long = Cette adresse e-mail est trop longue (254 caractères maximum).
email-missing-at = Une adresse e-mail contient un @, par exemple nom@entreprise.be.
email-invalid-local-part = La partie avant le @ n'est pas valable. Utilisez uniquement des lettres sans accents, des chiffres et . _ % + - ', sans point au début ou à la fin et sans points consécutifs.
email-invalid-domain = La partie après le @ n'est pas un domaine valable, par exemple entreprise.be.
email-contains-space = Une adresse e-mail ne peut pas contenir d'espaces.

## Adresse de connexion

login-email-free-mail = Utilisez une adresse e-mail de l'organisation, pas l'adresse d'un fournisseur gratuit comme Gmail, Outlook, Hotmail ou Telenet.
login-email-generic = Utilisez une adresse e-mail personnelle, pas l'adresse générique d'un service comme info@, hr@ ou personnel@.

## Primes : codes de motif des régularisations
premium-reason-new-affiliation = Nouvelle affiliation
premium-reason-salary = Modification du salaire ou de la fraction d'occupation
premium-reason-exit = Sortie
premium-reason-category-move = Transfert vers une autre catégorie
premium-reason-plan-rule = Modification du règlement de pension

## Liste des salaires à compléter
salary-empty = Indiquez le salaire annuel de référence.
salary-not-amount = Ce n'est pas un montant. Indiquez le salaire annuel en euros, par exemple 48.000,00 ou 48000.
salary-negative = Un salaire annuel ne peut pas être négatif.
salary-too-large = Ce salaire annuel dépasse 10.000.000,00 €. Vérifiez le montant (un montant en cents ?).
salary-zero = Un affilié actif a un salaire annuel supérieur à 0.
salary-fraction-empty = Indiquez la fraction d'occupation, par exemple 1 pour un temps plein, 0,8 ou 80 %.
salary-fraction-not-number = Ce n'est pas une fraction d'occupation. Indiquez un nombre entre 0 et 1 (0,8) ou un pourcentage (80 %).
salary-fraction-out-of-range = Une fraction d'occupation est comprise entre 0 et 1 (0 % et 100 %).
salary-fraction-zero = Une fraction d'occupation de 0 n'est pas possible : un affilié actif travaille.
salary-unknown-affiliation = Affiliation inconnue : cette ligne ne correspond à aucune affiliation que vous pouvez gérer. Utilisez la liste telle que vous l'avez téléchargée.
salary-duplicate-affiliation = Cette affiliation figure déjà sur une ligne précédente ; une ligne par affiliation.

contact-subject-required = Indiquez l'objet.
contact-subject-too-long = L'objet est trop long : 150 caractères au maximum.
contact-subject-one-line = L'objet tient sur une seule ligne.
contact-message-required = Écrivez votre message.
contact-message-too-long = Le message est trop long : 5 000 caractères au maximum.
contact-message-control = Le message contient des caractères qui ne sont pas du texte. Retapez-le ou collez-le comme texte simple.
document-title-required = Donnez un titre au document.
document-title-too-long = Un titre compte au maximum 150 caractères.
document-title-refused = Le titre contient un caractère invisible ou un caractère de contrôle. Saisissez à nouveau le titre sans ce caractère.

# The operator's plan forms
category-name-too-long = Un nom de catégorie compte au plus 60 caractères.
category-name-invalid = Ce nom contient des caractères qui n'ont pas leur place dans un nom de catégorie.
category-name-taken = Ce contrat a déjà une catégorie portant ce nom.
category-contract-unknown = Choisissez un contrat de cet employeur.
plan-rate-invalid = Ce n'est pas un pourcentage. Écrivez par exemple 3 ou 2,5 %.
plan-rate-out-of-range = Un pourcentage est compris entre 0 % et 100 %.
plan-threshold-out-of-range = Le plafond est un montant annuel supérieur à 0 et au plus 10.000.000,00 €.
plan-rule-from-out-of-range = Choisissez une date à partir du 01/01/2000 et au plus un an à l'avance.
plan-kind-invalid = Choisissez le type de règle.
plan-rule-category-unknown = Choisissez une catégorie de cet employeur.
plan-rule-date-taken = Cette catégorie a déjà une règle à partir de cette date.
