# "Documents" (pages/documents.rs) and publishing them in the operator console
# (pages/operator_documents.rs).

documents-title = Documents
documents-intro = The documents the insurer published for your company, by section and by year, newest first. A document you have not opened yet is marked as new. A document is always downloaded; then open it with your PDF reader, Excel or Word.
documents-search-label = Search titles
documents-search-button = Search
documents-search-clear = Show all documents
documents-sections = Sections
documents-kind-correspondence = Correspondence
documents-kind-legal = Legal documents
documents-kind-categories = Categories
documents-kind-premium_payment = Premium payment documents
documents-none = There are no documents in this section yet.
documents-none-found = No document in this section has those words in its title.
documents-col-title = Title
documents-col-date = Published on
documents-col-contract = Contract
documents-col-format = File type
documents-all-contracts = All contracts
documents-new = new
documents-statement-title = Premium statement { $month }
document-kind-unknown = Choose one of the sections.
document-contract-unknown = This contract does not belong to this employer. Choose one of the contracts in the list, or all contracts.
notice-document-published = The document has been published.
operator-documents-link = This employer's documents
operator-documents-title = Documents
operator-documents-publish = Publish a document
operator-documents-publish-text = A PDF, an Excel workbook (.xlsx) or a Word document (.docx) of at most { $mb } MB. The type is read from the content, not from the name. A document for one contract is seen only by the users who manage that contract.
operator-documents-field-title = Title
operator-documents-field-kind = Section
operator-documents-field-contract = For
operator-documents-field-file = File
operator-documents-publish-button = Publish
operator-documents-published = Published documents
operator-documents-col-kind = Section
operator-documents-col-file = File
operator-documents-file = { $name } ({ $kb } KB)
