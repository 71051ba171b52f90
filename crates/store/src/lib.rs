//! The only crate that writes SQL.
//!
//! One [`Store`] serves SQLite and PostgreSQL: each query is written once with `$N`
//! placeholders and run on whichever pool is active (see [`db`]). Tenant data is only
//! reachable through a [`Scope`], which the store itself builds from a user sheet, so a
//! caller cannot ask for another employer's rows.

mod accounts;
mod audit;
mod audit_names;
mod bulk_load;
mod changes;
mod contact;
mod db;
mod digest;
mod documents;
mod effects;
mod employees;
mod employers;
mod error;
mod generated_files;
mod insured;
mod invitations;
mod keys;
mod list_query;
mod notification;
mod operator;
mod outbox;
mod plan_admin;
mod premium;
mod provisioning;
mod queue;
mod salary_list;
mod scope;
mod sessions;
mod sheets;
mod statements;
mod uploads;

#[cfg(feature = "test-support")]
pub mod test_support;

pub use accounts::{Account, AttemptGrant, AttemptTicket, TokenPurpose, TokenState};
pub use audit::{
    AuditEmployer, AuditEntry, AuditEvent, AuditFilter, AuditPage, AuditRecord, AuditVerification,
    BreakReason, BrokenEntry, ChainVerification, GENESIS_HASH, MAX_AUDIT_PAGE,
    find_forbidden_content,
};
pub use audit_names::{AuditNames, NamedEmployee};
pub use bulk_load::{
    HistoricAction, HistoricAudit, LoadCensus, LoadedEmployer, NewDemoUser, NewScaleSheet,
    ScaleContract, ScaleEmployer, scale_sizes,
};
pub use changes::{
    AffiliatePerson, AffiliationDone, CategoryMoveDone, CategoryMoveRequest, ContractChoice,
    ExitDone, ExitOutcome, ExitRefusal, ExitRequest, ExitTarget, HistoryEntry,
    NewAffiliationRequest, PersonLookup, PersonalDataOutcome,
};
pub use contact::{
    ContactAttachment, ContactMessageRow, ContactReply, ContactThread, ContactThreadRow,
    NewAttachment, NewContactThread,
};
pub use db::{Engine, Store};
pub use digest::{DigestNews, DigestPeriod, DigestRecipient, LastDigest, Subscriber};
pub use documents::{
    DocumentEntry, DocumentFile, MAX_DOCUMENT_LIST, NewDocument, ReminderDocument,
    StatementDocument,
};
pub use effects::{Actor, OutgoingMail};
pub use employees::{
    Affiliation, EmployeeDetail, EmployeeFilters, EmployeeListPage, EmployeeListQuery,
    EmployeeListRow, SearchTuning, SortOrder, StatusFilter,
};
pub use employers::{Category, ContactPoint, Contract, Employer};
pub use error::StoreError;
pub use generated_files::{
    CHUNK_BYTES, FILE_RETENTION, FileContent, FileLookup, GeneratedFile, StoredFile,
};
pub use insured::InsuredEntry;
pub use invitations::{INVITATION_VALIDITY, ReceivedInvitation, SentInvitation};
pub use keys::{KeyCheck, use_secret_key};
pub use list_query::{ListCursor, Page};
pub use notification::{
    LinkProblem, NotificationChangeRequest, NotificationLink, NotificationRequester,
    PendingNotificationChange,
};
pub use operator::{EmployerDetails, EmployerSummary, NewContract};
#[cfg(feature = "test-support")]
pub use outbox::OpenedEmail;
pub use outbox::{
    ClaimedEmail, EmailStatus, FailureKind, FailureOutcome, MAX_EMAIL_ATTEMPTS, OutboxFilter,
    OutboxPage, OutboxRecord, OutgoingEmail, retry_delay,
};
pub use plan_admin::NewCategory;
pub use premium::{AffiliationKey, CategoryRules, NewPlanRule, NewSalary, SalaryRecord};
pub use provisioning::{NewAffiliation, NewContactPoint, NewEmployee, NewEmployer, NewUser};
#[cfg(feature = "test-support")]
pub use queue::fixture as queue_fixture;
pub use queue::{
    ACTION_PAGE_SIZE, Action, ActionDetail, ActionEmployee, ActionFilter, ActionPage, ClaimedJob,
    CompletedStatus, DownloadRequest, LeaseToken, NewAction, PENDING_DOWNLOADS_PER_USER,
};
pub use salary_list::SalaryUpdate;
pub use scope::{Access, EmployerChoice, Scope};
pub use sessions::{NewSession, SessionRecord, SessionStage};
pub use sheets::{ActivationLink, Invitation, NewSheet, SheetAdded, SheetRow, SheetSettings};
pub use statements::{
    ChargeStatus, ChargeToRemind, IssueNotice, NewPayment, PaymentResult, StatementCharge,
    StatementHeader, StatementIssue, StatementSubtotal,
};
pub use uploads::{EmailUpdate, NewUpload, SalaryApply, UploadFile, UploadPhase, UploadRecord};

/// Result of every store call.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
