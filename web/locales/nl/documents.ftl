# "Documenten" (pages/documents.rs) and publishing them in the operator console
# (pages/operator_documents.rs).

documents-title = Documenten
documents-intro = De documenten die de verzekeraar voor uw onderneming publiceerde, per rubriek en per jaar, de nieuwste eerst. Een document dat u nog niet opende, is gemarkeerd als nieuw. Een document wordt altijd gedownload; open het daarna met uw PDF-lezer, Excel of Word.
documents-search-label = Zoeken op titel
documents-search-button = Zoeken
documents-search-clear = Alle documenten tonen
documents-sections = Rubrieken
documents-kind-correspondence = Correspondentie
documents-kind-legal = Juridische documenten
documents-kind-categories = Categorieën
documents-kind-premium_payment = Documenten premiebetaling
documents-none = Er zijn nog geen documenten in deze rubriek.
documents-none-found = Geen document in deze rubriek heeft die woorden in de titel.
documents-col-title = Titel
documents-col-date = Gepubliceerd op
documents-col-contract = Contract
documents-col-format = Soort bestand
documents-all-contracts = Alle contracten
documents-new = nieuw
documents-statement-title = Premiebordereel { $month }
document-kind-unknown = Kies een van de rubrieken.
document-contract-unknown = Dit contract hoort niet bij deze werkgever. Kies een van de contracten in de lijst, of alle contracten.
notice-document-published = Het document is gepubliceerd.
operator-documents-link = Documenten van deze werkgever
operator-documents-title = Documenten
operator-documents-publish = Document publiceren
operator-documents-publish-text = Een PDF, een Excel-werkmap (.xlsx) of een Word-document (.docx) van hoogstens { $mb } MB. De soort wordt uit de inhoud gelezen, niet uit de naam. Een document voor één contract zien alleen de gebruikers die dat contract beheren.
operator-documents-field-title = Titel
operator-documents-field-kind = Rubriek
operator-documents-field-contract = Voor
operator-documents-field-file = Bestand
operator-documents-publish-button = Publiceren
operator-documents-published = Gepubliceerde documenten
operator-documents-col-kind = Rubriek
operator-documents-col-file = Bestand
operator-documents-file = { $name } ({ $kb } kB)
