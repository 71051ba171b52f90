//! Files an attacker or a confused tool could upload, generated here: each is refused with
//! its own reason, quickly, and nothing of calamine's abort paths is reached.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::{Duration, Instant};

use ebdesk_domain::insured_sheet::InsuredColumn;
use ebdesk_sheets::{FileRejection, ParsedUpload, UploadLimits, read_insured_upload};
use support::{
    CONTENT_TYPES, Package, data_row_xml, header_row_xml, inline_cell, shared_strings_xml,
    sheet_xml,
};

const VALID_NN: &str = "85.07.30-033.28";

fn read_quickly(bytes: &[u8]) -> Result<ParsedUpload, FileRejection> {
    read_quickly_with(bytes, &UploadLimits::default())
}

fn read_quickly_with(bytes: &[u8], limits: &UploadLimits) -> Result<ParsedUpload, FileRejection> {
    let started = Instant::now();
    let result = read_insured_upload(bytes, limits);
    let took = started.elapsed();
    assert!(took < Duration::from_secs(1), "took {took:?}");
    result
}

fn refused(bytes: &[u8]) -> FileRejection {
    read_quickly(bytes).expect_err("must be refused")
}

#[test]
fn the_hand_built_baseline_is_accepted() {
    // Every crafted file below differs from this one in one respect only.
    let bytes = Package::minimal(&data_row_xml(2, VALID_NN, "jan@voorbeeld.be")).zip();
    let upload = read_quickly(&bytes).unwrap();
    assert_eq!(upload.rows.len(), 1);
    assert!(upload.rows[0].is_valid());
}

#[test]
fn a_zip_bomb_is_refused_by_its_compression_ratio() {
    let padding = " ".repeat(8 * 1024 * 1024);
    let rows = format!("{}{padding}", data_row_xml(2, VALID_NN, ""));
    let mut package = Package::minimal(&rows);
    package.level = 9;
    let bytes = package.zip();
    assert!(bytes.len() < 20 * 1024, "{} bytes", bytes.len());
    assert_eq!(refused(&bytes), FileRejection::SuspiciousCompression);
}

#[test]
fn too_much_uncompressed_data_in_total_is_refused() {
    let mut package = Package::minimal(&data_row_xml(2, VALID_NN, ""));
    package.method = zip::CompressionMethod::Stored;
    package.set("xl/media/padding.bin", vec![0u8; 3 * 1024 * 1024]);
    let limits = UploadLimits {
        max_total_bytes: 2 * 1024 * 1024,
        ..UploadLimits::default()
    };
    assert_eq!(
        read_quickly_with(&package.zip(), &limits).unwrap_err(),
        FileRejection::SuspiciousCompression
    );
}

#[test]
fn a_shared_strings_header_declaring_a_huge_count_is_refused_before_calamine_sees_it() {
    // calamine 0.38 reserves uniqueCount strings and aborts the process (issue #684).
    for count in ["4000000000000000000", "1000000", "2"] {
        let mut package = Package::minimal(&data_row_xml(2, VALID_NN, ""));
        package.set(
            "xl/sharedStrings.xml",
            shared_strings_xml(count, &["Verzekerden"]),
        );
        assert_eq!(refused(&package.zip()), FileRejection::Malformed, "{count}");
    }
    let mut package = Package::minimal(&data_row_xml(2, VALID_NN, ""));
    package.set(
        "xl/sharedStrings.xml",
        shared_strings_xml("99999999999999999999999", &[]),
    );
    assert_eq!(refused(&package.zip()), FileRejection::Malformed);
    // An honest count passes.
    package.set("xl/sharedStrings.xml", shared_strings_xml("1", &["x"]));
    assert!(read_quickly(&package.zip()).is_ok());
}

#[test]
fn a_cell_at_the_far_corner_of_the_grid_is_refused() {
    let rows = format!(
        "{}<row r=\"1048576\">{}</row>",
        data_row_xml(2, VALID_NN, ""),
        inline_cell("XFD1048576", "x")
    );
    assert_eq!(
        refused(&Package::minimal(&rows).zip()),
        FileRejection::TooManyColumns { max: 256 }
    );
}

#[test]
fn a_far_row_alone_is_one_row_not_a_million() {
    let rows = data_row_xml(1_048_576, VALID_NN, "");
    let upload = read_quickly(&Package::minimal(&rows).zip()).unwrap();
    assert_eq!(upload.rows.len(), 1);
    assert_eq!(upload.rows[0].row, 1_048_576);
}

#[test]
fn dtd_and_entity_declarations_are_refused() {
    let doctype = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE worksheet [<!ENTITY a \"aaaa\">]>{}",
        sheet_xml(&header_row_xml(1)).split_once("?>").unwrap().1
    );
    let mut package = Package::minimal("");
    package.set("xl/worksheets/sheet1.xml", doctype);
    assert_eq!(refused(&package.zip()), FileRejection::DtdOrEntity);

    let entity = shared_strings_xml("1", &["x"]).replace("<si>", "<!ENTITY lol \"lol\"><si>");
    let mut package = Package::minimal("");
    package.set("xl/sharedStrings.xml", entity);
    assert_eq!(refused(&package.zip()), FileRejection::DtdOrEntity);

    // Hidden in a part that is not named .xml, where calamine could still be pointed.
    let mut package = Package::minimal("");
    package.set("xl/media/logo.dat", "GIF89a<!doctype x>");
    assert_eq!(refused(&package.zip()), FileRejection::DtdOrEntity);

    // Comments and CDATA are not declarations.
    let mut package = Package::minimal(&data_row_xml(2, VALID_NN, ""));
    let with_comment = sheet_xml(&format!(
        "<!-- gemaakt met de hand -->{}{}",
        header_row_xml(1),
        data_row_xml(2, VALID_NN, "")
    ));
    package.set("xl/worksheets/sheet1.xml", with_comment);
    assert!(read_quickly(&package.zip()).is_ok());
}

#[test]
fn an_xml_part_in_another_encoding_is_refused() {
    let mut package = Package::minimal("");
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(sheet_xml("").encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    package.set("xl/worksheets/sheet1.xml", utf16);
    assert_eq!(refused(&package.zip()), FileRejection::Malformed);

    let mut package = Package::minimal("");
    let declared = sheet_xml("").replace("encoding=\"UTF-8\"", "encoding=\"UTF-16\"");
    package.set("xl/worksheets/sheet1.xml", declared);
    assert_eq!(refused(&package.zip()), FileRejection::Malformed);
}

#[test]
fn macro_workbooks_are_refused() {
    let mut xlsm = Package::minimal(&data_row_xml(2, VALID_NN, ""));
    xlsm.set(
        "[Content_Types].xml",
        CONTENT_TYPES.replace("sheet.main+xml", "sheet.macroEnabled.main+xml"),
    );
    xlsm.set("xl/vbaProject.bin", vec![0xD0, 0xCF, 0x11, 0xE0, 1, 2, 3]);
    assert_eq!(refused(&xlsm.zip()), FileRejection::Macros);

    // A vbaProject.bin smuggled into an otherwise plain xlsx.
    let mut hidden = Package::minimal(&data_row_xml(2, VALID_NN, ""));
    hidden.set("xl/vbaProject.bin", vec![1, 2, 3]);
    assert_eq!(refused(&hidden.zip()), FileRejection::Macros);
}

#[test]
fn other_spreadsheet_formats_are_named() {
    let mut xls = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    xls.extend_from_slice(&[0u8; 504]);
    assert_eq!(refused(&xls), FileRejection::OldExcelFormat);

    let mut encrypted = xls.clone();
    encrypted.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
    assert_eq!(refused(&encrypted), FileRejection::PasswordProtected);

    let ods = Package {
        parts: vec![
            (
                "mimetype".into(),
                b"application/vnd.oasis.opendocument.spreadsheet".to_vec(),
            ),
            ("content.xml".into(), b"<office:document-content/>".to_vec()),
        ],
        method: zip::CompressionMethod::Stored,
        level: 1,
    };
    assert_eq!(refused(&ods.zip()), FileRejection::OpenDocument);

    let mut xlsb = Package::minimal("");
    xlsb.set(
        "[Content_Types].xml",
        CONTENT_TYPES.replace("sheet.main+xml", "sheet.binary.macroEnabled.main"),
    );
    assert_eq!(refused(&xlsb.zip()), FileRejection::BinaryWorkbook);
}

#[test]
fn files_that_are_no_workbook_at_all_are_refused() {
    for bytes in [
        b"Rijksregisternummer;Zakelijk e-mailadres\n85073003328;jan@x.be\n".to_vec(),
        b"%PDF-1.7\n".to_vec(),
        b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0".to_vec(),
    ] {
        assert_eq!(refused(&bytes), FileRejection::NotAWorkbook);
    }
    let docx = Package {
        parts: vec![(
            "[Content_Types].xml".into(),
            CONTENT_TYPES
                .replace(
                    "spreadsheetml.sheet.main+xml",
                    "wordprocessingml.document.main+xml",
                )
                .into_bytes(),
        )],
        method: zip::CompressionMethod::Deflated,
        level: 1,
    };
    assert_eq!(refused(&docx.zip()), FileRejection::NotAWorkbook);
    let plain_zip = Package {
        parts: vec![("notes.txt".into(), b"hallo".to_vec())],
        method: zip::CompressionMethod::Deflated,
        level: 1,
    };
    assert_eq!(refused(&plain_zip.zip()), FileRejection::NotAWorkbook);
    // A zip cut short: the central directory is gone.
    let whole = Package::minimal("").zip();
    assert_eq!(refused(&whole[..whole.len() / 2]), FileRejection::Malformed);
}

#[test]
fn empty_files_and_workbooks_are_refused() {
    assert_eq!(refused(b""), FileRejection::Empty);
    let mut package = Package::minimal("");
    package.set("xl/worksheets/sheet1.xml", sheet_xml(""));
    assert_eq!(refused(&package.zip()), FileRejection::Empty);
    // Headers but no rows.
    assert_eq!(refused(&Package::minimal("").zip()), FileRejection::NoRows);
}

#[test]
fn more_than_200_000_rows_are_refused() {
    let mut rows = String::with_capacity(200_002 * 48);
    for row in 2..=200_002u32 {
        rows.push_str(&format!(
            "<row r=\"{row}\"><c r=\"D{row}\"><v>1</v></c></row>"
        ));
    }
    let bytes = Package::minimal(&rows).zip();
    assert_eq!(refused(&bytes), FileRejection::TooManyRows { max: 200_000 });
}

#[test]
fn a_file_over_25_mb_is_refused_unopened() {
    let mut bytes = Package::minimal("").zip();
    bytes.resize(25 * 1024 * 1024 + 1, 0);
    assert_eq!(
        refused(&bytes),
        FileRejection::TooLarge {
            max_bytes: 25 * 1024 * 1024
        }
    );
}

#[test]
fn malformed_xml_is_refused() {
    let mut package = Package::minimal("");
    let broken = sheet_xml(&format!("{}<row r=\"2\"><c r=\"D2\"", header_row_xml(1)));
    package.set(
        "xl/worksheets/sheet1.xml",
        broken.replace("</sheetData></worksheet>", ""),
    );
    assert_eq!(refused(&package.zip()), FileRejection::Malformed);

    let mut package = Package::minimal("");
    package.set(
        "xl/sharedStrings.xml",
        r#"<?xml version="1.0"?><sst uniqueCount=5 count="1"><si><t>x</t></si></sst>"#,
    );
    assert_eq!(refused(&package.zip()), FileRejection::Malformed);

    // Rows out of order are not something a spreadsheet tool writes.
    let mut package = Package::minimal("");
    let unordered = sheet_xml(&format!(
        "{}{}{}",
        header_row_xml(1),
        data_row_xml(5, VALID_NN, ""),
        data_row_xml(3, VALID_NN, "")
    ));
    package.set("xl/worksheets/sheet1.xml", unordered);
    assert_eq!(refused(&package.zip()), FileRejection::Malformed);
}

#[test]
fn unsafe_or_colliding_part_names_are_refused() {
    for name in [
        "../evil.xml",
        "/etc/evil.xml",
        "xl/../../evil.xml",
        "C:/evil.xml",
        "xl\\..\\evil.xml",
    ] {
        let mut package = Package::minimal("");
        package.set(name, "<x/>");
        assert_eq!(
            refused(&package.zip()),
            FileRejection::UnsafePartName,
            "{name}"
        );
    }
    // calamine finds parts case-insensitively: a second sheet1 could be read instead.
    let mut package = Package::minimal("");
    package.set("XL/Worksheets/Sheet1.xml", sheet_xml(""));
    assert_eq!(refused(&package.zip()), FileRejection::UnsafePartName);
}

#[test]
fn too_many_parts_or_cells_are_refused() {
    let mut package = Package::minimal("");
    for i in 0..1_000 {
        package.set(&format!("xl/media/p{i}.bin"), vec![1u8]);
    }
    assert_eq!(
        refused(&package.zip()),
        FileRejection::TooManyParts { max: 1_000 }
    );

    let rows: String = (2..=200u32)
        .map(|r| data_row_xml(r, VALID_NN, ""))
        .collect();
    let limits = UploadLimits {
        max_cells: 100,
        ..UploadLimits::default()
    };
    assert_eq!(
        read_quickly_with(&Package::minimal(&rows).zip(), &limits).unwrap_err(),
        FileRejection::TooManyCells { max: 100 }
    );
}

#[test]
fn a_formula_in_a_data_column_is_a_row_error_whatever_its_cached_value() {
    let rows = format!(
        "<row r=\"2\"><c r=\"D2\" t=\"str\"><f>\"85073003328\"</f><v>85073003328</v></c><c r=\"N2\" t=\"str\"><f>LOWER(\"JAN@X.BE\")</f><v>jan@x.be</v></c></row>\
         <row r=\"3\">{}<c r=\"E3\" t=\"str\"><f>\"Peeters\"</f><v>Peeters</v></c><c r=\"P3\"><f>1+1</f><v>2</v></c></row>",
        inline_cell("D3", VALID_NN)
    );
    let upload = read_quickly(&Package::minimal(&rows).zip()).unwrap();
    let [first, second] = upload.rows.as_slice() else {
        panic!("{:?}", upload.rows);
    };
    let key_error = first.national_number.as_ref().unwrap_err();
    assert_eq!(key_error.column(), InsuredColumn::NationalNumber);
    assert_eq!(key_error.code(), "row-formula");
    assert_eq!(
        first.business_email.as_ref().unwrap_err().code(),
        "row-formula"
    );
    // The key itself is fine; the formula sits in a read-only column. The one in the
    // extra column P is nobody's business.
    assert!(second.national_number.is_ok());
    assert_eq!(second.formula_errors.len(), 1);
    assert_eq!(second.formula_errors[0].column(), InsuredColumn::LastName);
    assert!(
        second.formula_errors[0]
            .message()
            .render(&dutch())
            .contains("formule")
    );
}

#[test]
fn header_problems_are_told_apart() {
    let mut package = Package::minimal("");
    package.set(
        "xl/worksheets/sheet1.xml",
        sheet_xml(&format!(
            "<row r=\"1\">{}{}</row>{}",
            inline_cell("A1", "Naam"),
            inline_cell("B1", "E-mail"),
            data_row_xml(2, VALID_NN, "")
        )),
    );
    assert_eq!(refused(&package.zip()), FileRejection::NoHeaderSheet);

    let without_email = sheet_xml(&format!(
        "<row r=\"1\">{}{}{}</row>{}",
        inline_cell("A1", "Naam"),
        inline_cell("B1", "Voornaam"),
        inline_cell("C1", "Rijksregisternummer"),
        data_row_xml(2, VALID_NN, "")
    ));
    package.set("xl/worksheets/sheet1.xml", without_email);
    let rejection = refused(&package.zip());
    assert_eq!(
        rejection,
        FileRejection::MissingColumns {
            missing: vec![InsuredColumn::BusinessEmail]
        }
    );
    assert!(
        rejection
            .message()
            .render(&dutch())
            .contains("\"Zakelijk e-mailadres\"")
    );

    let doubled = sheet_xml(&format!(
        "<row r=\"1\">{}{}{}</row>{}",
        inline_cell("A1", "Rijksregisternummer"),
        inline_cell("B1", "Zakelijk e-mailadres"),
        inline_cell("C1", "zakelijk e-mailadres"),
        data_row_xml(2, VALID_NN, "")
    ));
    package.set("xl/worksheets/sheet1.xml", doubled);
    assert_eq!(
        refused(&package.zip()),
        FileRejection::DuplicateColumn {
            column: InsuredColumn::BusinessEmail
        }
    );
}

#[test]
fn every_rejection_has_a_distinct_code_and_a_dutch_message() {
    let all = [
        FileRejection::Empty,
        FileRejection::TooLarge {
            max_bytes: 25 * 1024 * 1024,
        },
        FileRejection::NotAWorkbook,
        FileRejection::OldExcelFormat,
        FileRejection::PasswordProtected,
        FileRejection::OpenDocument,
        FileRejection::BinaryWorkbook,
        FileRejection::Macros,
        FileRejection::Malformed,
        FileRejection::DtdOrEntity,
        FileRejection::SuspiciousCompression,
        FileRejection::TooManyParts { max: 1000 },
        FileRejection::UnsafePartName,
        FileRejection::NoHeaderSheet,
        FileRejection::MissingColumns {
            missing: vec![InsuredColumn::NationalNumber],
        },
        FileRejection::DuplicateColumn {
            column: InsuredColumn::BusinessEmail,
        },
        FileRejection::NoRows,
        FileRejection::TooManyRows { max: 200_000 },
        FileRejection::TooManyColumns { max: 256 },
        FileRejection::TooManyCells { max: 10 },
    ];
    let codes: std::collections::HashSet<&str> = all.iter().map(|r| r.code()).collect();
    assert_eq!(codes.len(), all.len());
    for format_rejection in [
        FileRejection::NotAWorkbook,
        FileRejection::OldExcelFormat,
        FileRejection::OpenDocument,
        FileRejection::BinaryWorkbook,
        FileRejection::Macros,
        FileRejection::PasswordProtected,
    ] {
        assert!(
            format_rejection
                .message()
                .render(&dutch())
                .contains(".xlsx"),
            "{format_rejection:?}"
        );
    }
    assert!(
        FileRejection::TooLarge {
            max_bytes: 25 * 1024 * 1024
        }
        .message()
        .render(&dutch())
        .contains("25 MB")
    );
    assert!(
        FileRejection::TooManyRows { max: 200_000 }
            .message()
            .render(&dutch())
            .contains("200 000 rijen")
    );
}

#[test]
fn rows_the_pre_scan_cannot_see_are_still_counted_while_reading() {
    // Prefixed elements hide from the quick `<row` count; the reader counts data rows itself.
    let rows: String = (2..=8u32)
        .map(|r| format!("<x:row r=\"{r}\"><x:c r=\"D{r}\"><x:v>1</x:v></x:c></x:row>"))
        .collect();
    let sheet = sheet_xml(&format!("{}{rows}", header_row_xml(1))).replace(
        "<worksheet ",
        "<worksheet xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" ",
    );
    let mut package = Package::minimal("");
    package.set("xl/worksheets/sheet1.xml", sheet);
    let limits = UploadLimits {
        max_rows: 5,
        ..UploadLimits::default()
    };
    assert_eq!(
        read_quickly_with(&package.zip(), &limits).unwrap_err(),
        FileRejection::TooManyRows { max: 5 }
    );
    let limits = UploadLimits {
        max_rows: 7,
        ..UploadLimits::default()
    };
    assert_eq!(
        read_quickly_with(&package.zip(), &limits)
            .unwrap()
            .rows
            .len(),
        7
    );
}

/// Dutch, the language the texts are checked in.
fn dutch() -> ebdesk_i18n::LanguageIdentifier {
    ebdesk_i18n::default_language()
}
