# Messages lors du chargement de l'aperçu des assurés (crates/sheets) : un fichier refusé,
# les erreurs et avertissements par ligne, le classeur des erreurs.

# Un texte enregistré avant que les messages aient une clé : affiché tel quel.
stored-text = { $text }

## Un fichier refusé. Chaque clé est le code() d'un FileRejection.

-accepted = Enregistrez-le en tant que classeur Excel (.xlsx) et chargez-le à nouveau.

upload-empty = Le fichier est vide.
upload-too-large = Le fichier dépasse { $mb } Mo. Chargez uniquement l'aperçu des assurés, sans feuilles ni images supplémentaires.
upload-not-a-workbook = Ce fichier n'est pas un classeur Excel. { -accepted }
upload-old-excel-format = Il s'agit d'un classeur dans l'ancien format Excel (.xls). { -accepted }
upload-password-protected = Ce classeur est protégé par un mot de passe. Supprimez le mot de passe, enregistrez le fichier au format .xlsx et chargez-le à nouveau.
upload-open-document = Il s'agit d'une feuille de calcul OpenDocument (.ods). { -accepted }
upload-binary-workbook = Il s'agit d'un classeur Excel binaire (.xlsb). { -accepted }
upload-macros = Ce classeur contient des macros (.xlsm). Les classeurs contenant des macros ne sont pas acceptés. { -accepted }
upload-malformed = Le fichier est endommagé et ne peut pas être lu. { -accepted }
upload-dtd-or-entity = Le fichier contient des déclarations XML (DOCTYPE ou ENTITY) qu'un classeur Excel ne doit pas contenir. { -accepted }
upload-suspicious-compression = Le fichier est anormalement compressé ou se décompresse en un volume trop important ; il n'est donc pas ouvert. { -accepted }
upload-too-many-parts = Le classeur se compose de plus de { $max } éléments. Chargez uniquement l'aperçu des assurés.
upload-unsafe-part-name = Le classeur contient des éléments dont le nom n'est pas valable ou figure en double. { -accepted }
upload-no-header-sheet = Aucune feuille ne contient les colonnes "{ $national-number }" et "{ $business-email }". Utilisez l'aperçu des assurés téléchargé ici et ne modifiez pas les titres des colonnes.
# $columns : les titres des colonnes entre guillemets, séparés par des virgules.
upload-missing-columns = Les titres des colonnes ont été trouvés, mais { $count ->
        [one] cette colonne manque
       *[other] ces colonnes manquent
    } : { $columns }. Ajoutez à nouveau le titre de colonne ou téléchargez à nouveau l'aperçu.
upload-duplicate-column = La colonne "{ $column }" apparaît deux fois. Supprimez l'une des deux et chargez à nouveau le fichier.
upload-no-rows = Le fichier contient les titres des colonnes, mais aucune ligne avec un assuré.
upload-no-salary-header-sheet = Aucune feuille ne contient les colonnes "{ $affiliation }" et "{ $salary }". Utilisez la liste des salaires téléchargée ici et ne modifiez pas les titres des colonnes.
upload-too-many-rows = Le fichier contient plus de { $max } lignes. Répartissez-les sur plusieurs fichiers.
upload-too-many-columns = Le fichier contient des données au-delà de la colonne { $max }. Supprimez les colonnes superflues et chargez-le à nouveau.
upload-too-many-cells = Le fichier contient plus de { $max } cellules. Chargez uniquement l'aperçu des assurés, sans données supplémentaires.

## Une erreur sur une ligne : le motif dans le récapitulatif et dans le classeur des erreurs.

row-missing-national-number = Le numéro de registre national manque : sans numéro, la ligne ne peut pas être liée à un assuré.
row-national-number-empty = Le numéro de registre national manque.
row-national-number-wrong-length = { national-number-wrong-length }
row-national-number-not-digits = Un numéro de registre national ne contient que des chiffres (les points, tirets et espaces sont admis).
row-national-number-check-digits = { national-number-check-digits }
row-national-number-invalid-date = Les six premiers chiffres de ce numéro de registre national ne forment pas une date de naissance valable.
row-national-number-invalid-serial = Le numéro d'ordre (du 7e au 9e chiffre) d'un numéro de registre national ne peut pas être 000 ni 999.
row-email-empty = L'adresse e-mail est vide.
row-email-too-long = { email-too-long }
row-email-missing-at = { email-missing-at }
row-email-invalid-local-part = La partie avant le @ n'est pas valable : uniquement des lettres sans accents, des chiffres et . _ % + - ', sans point au début ou à la fin et sans points consécutifs.
row-email-invalid-domain = { email-invalid-domain }
row-email-contains-space = { email-contains-space }
row-formula = Cette cellule contient une formule. Saisissez vous-même la valeur : le résultat d'une formule ne peut pas être contrôlé.
row-unknown-employee = Il n'y a aucun assuré avec ce numéro de registre national dans les contrats que vous gérez.
row-conflicting-email = Le même travailleur figure aussi à la ligne { $row } avec une autre adresse e-mail professionnelle. Un travailleur n'a qu'une seule adresse e-mail professionnelle.

## Avertissements : ils ne bloquent rien.

-shared-advice = C'est permis, mais vérifiez-le : en général, chaque travailleur a sa propre adresse.

warning-read-only-ignored = Les modifications apportées à { $columns } sont ignorées : seule l'adresse e-mail professionnelle peut être modifiée via ce fichier.
warning-shared-email-in-file = La ligne { $row } attribue la même adresse e-mail professionnelle à un autre travailleur. { -shared-advice }
warning-shared-email-held-elsewhere = { $name } a déjà cette adresse e-mail professionnelle et ne figure pas dans ce fichier. { -shared-advice }
warning-salary-large-change = Le salaire annuel varie de plus de { $percent } % par rapport au salaire actuel. Vérifiez le montant ; il est néanmoins accepté.

## Le classeur des erreurs

errors-book-file-name = Erreurs - Aperçu des assurés.xlsx
errors-book-upload-row = Ligne du fichier chargé
errors-book-errors = Erreurs

## L'aperçu des assurés qu'un utilisateur télécharge (crates/sheets, write.rs). Le chargement
## reconnaît les titres des colonnes dans chaque langue ; ne les modifiez pas sans raison :
## un classeur téléchargé avec l'ancien titre ne serait plus reconnu.

# $employer : le numéro de l'employeur ; $date : la date de la demande (AAAA-MM-JJ).
sheet-file-name = Aperçu des assurés { $employer } { $date }.xlsx
sheet-name-insured = Assurés
sheet-name-help = Explications

sheet-col-contract-number = Numéro de contrat
sheet-col-category = Catégorie
sheet-col-employee-number = Matricule
sheet-col-national-number = Numéro de registre national
sheet-col-last-name = Nom
sheet-col-first-name = Prénom
sheet-col-gender = Sexe
sheet-col-language = Langue
sheet-col-birth-date = Date de naissance
sheet-col-employment-start = Date d'entrée en service
sheet-col-affiliation-start = Date d'affiliation
sheet-col-status = Statut
sheet-col-end-date = Date de sortie
sheet-col-business-email = Adresse e-mail professionnelle
sheet-col-private-email-known = Adresse e-mail privée connue

sheet-value-male = Homme
sheet-value-female = Femme
sheet-value-active = Actif
sheet-value-passive = Passif
sheet-value-terminated = Terminé
sheet-value-yes = Oui
sheet-value-no = Non

## La feuille d'explications : un titre et des points numérotés.

sheet-help-title = Aperçu des assurés : comment le compléter
sheet-help-1 = Dans la feuille "{ sheet-name-insured }", complétez la colonne "{ sheet-col-business-email }" : l'adresse e-mail que chaque travailleur utilise au travail, par exemple prenom.nom@entreprise.be.
sheet-help-2 = Seule cette colonne peut être modifiée. Les autres colonnes sont protégées et sont fournies à titre d'information : les modifications qui y sont apportées sont ignorées lors du chargement.
sheet-help-3 = Laissez la cellule vide si le travailleur n'a pas d'adresse e-mail professionnelle. Une adresse connue que vous effacez n'est supprimée qu'après votre confirmation lors du chargement.
sheet-help-4 = Un travailleur ayant plus d'une affiliation figure sur plus d'une ligne : indiquez la même adresse sur chaque ligne.
sheet-help-5 = Ne modifiez ni le numéro de registre national ni les titres des colonnes : chaque ligne est liée à un assuré par son numéro de registre national. Vous pouvez modifier l'ordre des lignes et des colonnes ; les colonnes supplémentaires sont ignorées.
sheet-help-6 = Tapez ou collez les adresses en tant que valeurs. Les formules ne sont pas acceptées.
sheet-help-7 = La colonne "{ sheet-col-private-email-known }" indique "{ sheet-value-yes }" si le travailleur a lui-même communiqué une adresse privée. Vous ne voyez pas cette adresse et ne devez pas la compléter.
sheet-help-8 = Enregistrez le fichier en tant que classeur Excel (.xlsx ; également depuis LibreOffice) et chargez-le dans "Chargements". Vous verrez d'abord un récapitulatif des modifications et des erreurs ; rien ne change tant que vous n'avez pas confirmé.
# $rows : le nombre maximal de lignes ; $mb : la taille maximale du fichier en Mo.
sheet-help-9 = Un fichier peut compter au maximum { $rows } lignes et peser au maximum { $mb } Mo.

## Journal d'audit
audit-book-file-name = journal-d-audit.xlsx
audit-book-sheet = Journal d'audit
audit-book-when = Quand
audit-book-employer = Numéro d'organisateur
audit-book-who = Qui
audit-book-event = Événement
audit-book-details = Quoi
audit-book-ip = Adresse IP

## Bordereau de primes
premium-book-file-name = Bordereau de primes { $month }.xlsx
premium-book-sheet = Bordereau { $month }
premium-book-col-month = Mois
premium-book-col-contract = Contrat
premium-book-col-category = Catégorie
premium-book-col-employee-number = Matricule
premium-book-col-name = Nom
premium-book-col-national-number = Numéro de registre national
premium-book-col-salary = Rémunération annuelle de référence
premium-book-col-fraction = Fraction d'occupation
premium-book-col-days = Jours
premium-book-col-premium = Prime
premium-book-col-reason = Code motif
premium-book-subtotal = Sous-total { $contract } { $category }
premium-book-total = Total

## Liste des salaires à compléter
salary-file-name = Liste des salaires { $employer } { $year }.xlsx
salary-sheet-name = Salaires { $year }
salary-col-contract = Contrat
salary-col-category = Catégorie
salary-col-employee-number = Numéro de travailleur
salary-col-name = Nom
salary-col-national-number = Numéro de registre national
salary-col-affiliation = Affiliation (ne pas modifier)
salary-col-annual-salary = Salaire annuel de référence (temps plein, €)
salary-col-fraction = Fraction d'occupation (0-1 ou %)

charges-book-file-name = Primes facturées { $year }.xlsx
charges-book-sheet = Primes facturées { $year }
charges-book-col-month = Mois
charges-book-col-contract = Contrat
charges-book-col-amount = Facturé
charges-book-col-paid = Payé
charges-book-col-outstanding = Solde dû
charges-book-col-due = Échéance
charges-book-col-status = Statut
charges-book-col-communication = Communication structurée
charges-book-total = Total de l'année

## Un document que le gestionnaire publie (crates/sheets/src/document.rs) : refusé.

document-file-empty = Le fichier est vide. Choisissez à nouveau le document.
document-file-too-large = Le fichier dépasse { $mb } Mo. Publiez un fichier plus petit.
document-file-unknown-type = Ce fichier n'est ni un PDF, ni un classeur Excel (.xlsx), ni un document Word (.docx), quel que soit son nom. Seuls ces trois types peuvent être publiés.
document-file-macros = Ce fichier Office contient des macros et n'est pas publié. Enregistrez-le en .xlsx ou .docx sans macros.
document-file-password-protected = Ce fichier est protégé par un mot de passe. Retirez le mot de passe et choisissez-le à nouveau.
document-file-suspicious-compression = Le fichier est anormalement compressé ou se décompresse en un ensemble trop volumineux ; il n'est donc pas publié.
document-file-malformed = Le fichier est endommagé et ne peut pas être ouvert.
