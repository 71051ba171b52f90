# « Documents » (pages/documents.rs) et leur publication dans la console de gestion
# (pages/operator_documents.rs).

documents-title = Documents
documents-intro = Les documents que l'assureur a publiés pour votre entreprise, par rubrique et par année, les plus récents d'abord. Un document que vous n'avez pas encore ouvert est marqué comme nouveau. Un document est toujours téléchargé ; ouvrez-le ensuite avec votre lecteur PDF, Excel ou Word.
documents-search-label = Rechercher dans les titres
documents-search-button = Rechercher
documents-search-clear = Afficher tous les documents
documents-sections = Rubriques
documents-kind-correspondence = Correspondance
documents-kind-legal = Documents juridiques
documents-kind-categories = Catégories
documents-kind-premium_payment = Documents de paiement des primes
documents-none = Cette rubrique ne contient pas encore de documents.
documents-none-found = Aucun document de cette rubrique ne contient ces mots dans son titre.
documents-col-title = Titre
documents-col-date = Publié le
documents-col-contract = Contrat
documents-col-format = Type de fichier
documents-all-contracts = Tous les contrats
documents-new = nouveau
documents-statement-title = Bordereau de primes { $month }
document-kind-unknown = Choisissez une des rubriques.
document-contract-unknown = Ce contrat n'appartient pas à cet employeur. Choisissez un des contrats de la liste, ou tous les contrats.
notice-document-published = Le document a été publié.
operator-documents-link = Documents de cet employeur
operator-documents-title = Documents
operator-documents-publish = Publier un document
operator-documents-publish-text = Un PDF, un classeur Excel (.xlsx) ou un document Word (.docx) de { $mb } Mo au maximum. Le type est lu dans le contenu, pas dans le nom. Un document destiné à un seul contrat n'est visible que par les utilisateurs qui gèrent ce contrat.
operator-documents-field-title = Titre
operator-documents-field-kind = Rubrique
operator-documents-field-contract = Pour
operator-documents-field-file = Fichier
operator-documents-publish-button = Publier
operator-documents-published = Documents publiés
operator-documents-col-kind = Rubrique
operator-documents-col-file = Fichier
operator-documents-file = { $name } ({ $kb } Ko)
