//! The Premiebordereel's PDF summary: employer, month, the subtotal of each contract's
//! category, the total, and how to pay (per contract: amount and structured communication,
//! the insurer's account, the due date). Written with pdf-writer in the PDF's built-in
//! Helvetica (WinAnsi), so no font file ships; texts come already in the reader's
//! language and amounts already written the reader's way.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str};

/// What the summary says, every text ready to print.
#[derive(Debug, Clone, Default)]
pub struct StatementSummary {
    /// "Premiebordereel — Maand 11/2026".
    pub title: String,
    /// Employer name, number and address, one line each.
    pub employer: Vec<String>,
    /// "Opgemaakt op …", "Te betalen vóór …".
    pub facts: Vec<String>,
    /// Column titles of the subtotals: contract, category, lines, amount.
    pub columns: [String; 4],
    /// Contract, category, lines, amount.
    pub subtotals: Vec<[String; 4]>,
    /// "Totaal" and the amount.
    pub total: [String; 2],
    /// Sentences under the total: the plan's costs inside it.
    pub costs: Vec<String>,
    /// The heading of the payment part.
    pub payment_title: String,
    /// Sentences before the table: account, due date.
    pub payment_facts: Vec<String>,
    /// Column titles of the payments: contract, amount, communication.
    pub payment_columns: [String; 3],
    /// Contract, amount, structured communication.
    pub payments: Vec<[String; 3]>,
}

const WIDTH: f32 = 595.0;
const HEIGHT: f32 = 842.0;
const MARGIN: f32 = 56.0;
const REGULAR: Name<'static> = Name(b"F1");
const BOLD: Name<'static> = Name(b"F2");

/// Where the next line goes, and the pages so far.
struct Pages {
    done: Vec<Vec<u8>>,
    content: Content,
    y: f32,
}

impl Pages {
    fn new() -> Self {
        Pages {
            done: Vec::new(),
            content: Content::new(),
            y: HEIGHT - MARGIN,
        }
    }

    /// Moves down `by` points, on a new page when the bottom margin is reached.
    fn down(&mut self, by: f32) {
        if self.y - by < MARGIN {
            let full = std::mem::replace(&mut self.content, Content::new());
            self.done.push(full.finish().into_vec());
            self.y = HEIGHT - MARGIN;
        } else {
            self.y -= by;
        }
    }

    fn text(&mut self, x: f32, font: Name<'_>, size: f32, text: &str) {
        let bytes = win_ansi(text);
        self.content
            .begin_text()
            .set_font(font, size)
            .next_line(x, self.y)
            .show(Str(&bytes))
            .end_text();
    }

    /// `text` from the left margin, wrapped at the right one; moves below it.
    fn paragraph(&mut self, font: Name<'_>, size: f32, text: &str) {
        let room = WIDTH - 2.0 * MARGIN;
        let mut line = String::new();
        for word in text.split(' ') {
            let longer = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if width(&longer, size) > room && !line.is_empty() {
                self.text(MARGIN, font, size, &line);
                self.down(size * 1.4);
                line = word.to_owned();
            } else {
                line = longer;
            }
        }
        self.text(MARGIN, font, size, &line);
        self.down(size * 1.4);
    }

    /// `text` ending at `right`.
    fn right(&mut self, right: f32, font: Name<'_>, size: f32, text: &str) {
        self.text(right - width(text, size), font, size, text);
    }

    fn rule(&mut self) {
        self.content
            .set_line_width(0.5)
            .move_to(MARGIN, self.y - 4.0)
            .line_to(WIDTH - MARGIN, self.y - 4.0)
            .stroke();
    }

    fn finish(mut self) -> Vec<Vec<u8>> {
        self.done.push(self.content.finish().into_vec());
        self.done
    }
}

/// Column starts of the subtotal table (the last is right-aligned at the margin).
const SUBTOTAL_X: [f32; 3] = [MARGIN, MARGIN + 110.0, MARGIN + 330.0];
const PAYMENT_X: [f32; 2] = [MARGIN, MARGIN + 110.0];

/// The summary as a PDF file.
pub fn write_statement_pdf(summary: &StatementSummary) -> Vec<u8> {
    let mut pages = Pages::new();
    let right = WIDTH - MARGIN;
    pages.text(MARGIN, BOLD, 16.0, &summary.title);
    pages.down(26.0);
    for line in &summary.employer {
        pages.text(MARGIN, REGULAR, 10.0, line);
        pages.down(14.0);
    }
    pages.down(6.0);
    for line in &summary.facts {
        pages.paragraph(REGULAR, 10.0, line);
    }
    pages.down(14.0);
    let [contract, category, lines, amount] = &summary.columns;
    row4(&mut pages, BOLD, [contract, category, lines], amount, right);
    pages.rule();
    pages.down(18.0);
    for [contract, category, lines, amount] in &summary.subtotals {
        row4(
            &mut pages,
            REGULAR,
            [contract, category, lines],
            amount,
            right,
        );
        pages.down(14.0);
    }
    pages.rule();
    pages.down(18.0);
    pages.text(MARGIN, BOLD, 11.0, &summary.total[0]);
    pages.right(right, BOLD, 11.0, &summary.total[1]);
    pages.down(20.0);
    for line in &summary.costs {
        pages.paragraph(REGULAR, 9.0, line);
    }
    pages.down(16.0);
    pages.text(MARGIN, BOLD, 13.0, &summary.payment_title);
    pages.down(20.0);
    for line in &summary.payment_facts {
        pages.paragraph(REGULAR, 10.0, line);
    }
    pages.down(8.0);
    let [contract, amount, communication] = &summary.payment_columns;
    payment_row(&mut pages, BOLD, [contract, amount, communication], right);
    pages.rule();
    pages.down(18.0);
    for [contract, amount, communication] in &summary.payments {
        payment_row(
            &mut pages,
            REGULAR,
            [contract, amount, communication],
            right,
        );
        pages.down(14.0);
    }
    assemble(pages.finish())
}

/// A plain document: a title and paragraphs, wrapped and paged (the demo's letters and
/// regulations).
pub fn write_text_pdf(title: &str, paragraphs: &[String]) -> Vec<u8> {
    let mut pages = Pages::new();
    pages.text(MARGIN, BOLD, 16.0, title);
    pages.down(30.0);
    for paragraph in paragraphs {
        pages.paragraph(REGULAR, 10.0, paragraph);
        pages.down(8.0);
    }
    assemble(pages.finish())
}

fn row4(pages: &mut Pages, font: Name<'_>, texts: [&String; 3], amount: &str, right: f32) {
    for (x, text) in SUBTOTAL_X.into_iter().zip(texts) {
        pages.text(x, font, 10.0, text);
    }
    pages.right(right, font, 10.0, amount);
}

fn payment_row(pages: &mut Pages, font: Name<'_>, texts: [&String; 3], right: f32) {
    let [contract, amount, communication] = texts;
    pages.text(PAYMENT_X[0], font, 10.0, contract);
    pages.right(PAYMENT_X[1] + 110.0, font, 10.0, amount);
    pages.right(right, font, 10.0, communication);
}

/// The document around the pages' content streams.
fn assemble(contents: Vec<Vec<u8>>) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let (regular, bold) = (Ref::new(3), Ref::new(4));
    let first_page = 5;
    let page_ids: Vec<Ref> = (0..contents.len())
        .map(|i| Ref::new(first_page + 2 * i32::try_from(i).unwrap_or(0)))
        .collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(page_ids.iter().copied())
        .count(i32::try_from(page_ids.len()).unwrap_or(1));
    pdf.type1_font(regular)
        .base_font(Name(b"Helvetica"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold)
        .base_font(Name(b"Helvetica-Bold"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    for (page_id, content) in page_ids.iter().zip(&contents) {
        let content_id = Ref::new(page_id.get() + 1);
        let mut page = pdf.page(*page_id);
        page.media_box(Rect::new(0.0, 0.0, WIDTH, HEIGHT))
            .parent(tree)
            .contents(content_id);
        let mut resources = page.resources();
        resources.fonts().pair(REGULAR, regular).pair(BOLD, bold);
        resources.finish();
        page.finish();
        pdf.stream(content_id, content);
    }
    pdf.finish()
}

/// `text` in WinAnsi (Windows-1252), what the built-in fonts read; other characters
/// become '?'. No-break spaces (amounts) stay no-break spaces.
fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '€' => 0x80,
            '‚' => 0x82,
            '„' => 0x84,
            '…' => 0x85,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '–' => 0x96,
            '—' => 0x97,
            '\u{202f}' => 0xA0,
            c if u32::from(c) < 0x80 || (0xA0..=0xFF).contains(&u32::from(c)) => {
                u8::try_from(u32::from(c)).unwrap_or(b'?')
            }
            _ => b'?',
        })
        .collect()
}

/// The width of `text` in Helvetica at `size`, close enough to right-align amounts and
/// communications (digits, signs and spaces have exact widths; letters are estimated).
fn width(text: &str, size: f32) -> f32 {
    let units: u32 = text
        .chars()
        .map(|c| match c {
            '0'..='9' | '€' | '+' => 556,
            ',' | '.' | ' ' | '\u{a0}' | '\u{202f}' | '/' => 278,
            '-' => 333,
            '%' => 889,
            _ => 556,
        })
        .sum();
    units as f32 * size / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(subtotals: usize) -> StatementSummary {
        StatementSummary {
            title: "Premiebordereel — Maand 11/2026".to_owned(),
            employer: vec!["Brouwerij Vandeputte NV".to_owned()],
            facts: vec!["Te betalen vóór 30/11/2026".to_owned()],
            columns: ["Contract", "Categorie", "Lijnen", "Bedrag"].map(str::to_owned),
            subtotals: (0..subtotals)
                .map(|i| {
                    [
                        "530/000101".to_owned(),
                        format!("Bedienden {i}"),
                        "12".to_owned(),
                        "1\u{202f}234,56 €".to_owned(),
                    ]
                })
                .collect(),
            total: ["Totaal".to_owned(), "2\u{202f}469,12 €".to_owned()],
            costs: vec!["Inbegrepen: beheerskosten 0,90 %".to_owned()],
            payment_title: "Betaling".to_owned(),
            payment_facts: vec!["Rekening BE35 3101 2345 6737".to_owned()],
            payment_columns: ["Contract", "Bedrag", "Mededeling"].map(str::to_owned),
            payments: vec![[
                "530/000101".to_owned(),
                "2\u{202f}469,12 €".to_owned(),
                "+++000/0000/10101+++".to_owned(),
            ]],
        }
    }

    #[test]
    fn the_summary_is_a_pdf_with_its_texts_in_win_ansi() {
        let pdf = write_statement_pdf(&summary(3));
        assert!(pdf.starts_with(b"%PDF-"));
        let find = |needle: &[u8]| pdf.windows(needle.len()).any(|w| w == needle);
        assert!(find(b"/Helvetica-Bold"));
        assert!(find(b"+++000/0000/10101+++"));
        assert!(
            find(b"Inbegrepen: beheerskosten 0,90 %"),
            "the plan's costs"
        );
        // Strings with bytes above ASCII are written in hex.
        let hex = |bytes: &[u8]| bytes.iter().map(|b| format!("{b:02X}")).collect::<String>();
        let upper = String::from_utf8_lossy(&pdf).to_uppercase();
        // "vóór" in WinAnsi: ó is 0xF3; amounts keep their no-break space and €.
        assert!(upper.contains(&hex(b"v\xf3\xf3r")), "ó in WinAnsi");
        assert!(upper.contains(&hex(b"1\xa0234,56 \x80")), "€ in WinAnsi");
    }

    #[test]
    fn a_long_summary_continues_on_more_pages() {
        let one = write_statement_pdf(&summary(3));
        let many = write_statement_pdf(&summary(120));
        // "/Type /Page" of each page, not "/Type /Pages" of the tree.
        let count = |pdf: &[u8]| {
            pdf.windows(12)
                .filter(|w| w.starts_with(b"/Type /Page") && w[11] != b's')
                .count()
        };
        assert_eq!(count(&one), 1);
        assert!(count(&many) > count(&one), "more pages for more lines");
    }
}
