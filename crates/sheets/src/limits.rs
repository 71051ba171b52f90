//! The bounds an upload must stay within before and while it is read.

use serde::{Deserialize, Serialize};

const MIB: u64 = 1024 * 1024;

/// Limits for [`crate::read_insured_upload`]. The defaults fit 200 000 rows written by
/// Excel, LibreOffice, openpyxl or our own writer, with room for a few extra columns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadLimits {
    /// Size of the uploaded file.
    pub max_file_bytes: u64,
    /// Entries in the zip package.
    pub max_parts: usize,
    /// Declared uncompressed size of one part.
    pub max_part_bytes: u64,
    /// Declared uncompressed size of all parts together.
    pub max_total_bytes: u64,
    /// Uncompressed / compressed size of one part, checked for parts above `ratio_floor_bytes`.
    pub max_ratio: u64,
    /// Small parts compress wildly (an empty sheet); below this size the ratio is not judged.
    pub ratio_floor_bytes: u64,
    /// Data rows below the header.
    pub max_rows: u32,
    /// A value in column `max_columns + 1` or further is refused.
    pub max_columns: u32,
    /// Cell records read in the whole workbook, empty ones included.
    pub max_cells: u64,
    /// How far down a sheet the header row is looked for.
    pub header_search_rows: u32,
}

impl Default for UploadLimits {
    fn default() -> Self {
        UploadLimits {
            max_file_bytes: 25 * MIB,
            max_parts: 1_000,
            max_part_bytes: 400 * MIB,
            max_total_bytes: 512 * MIB,
            max_ratio: 200,
            ratio_floor_bytes: MIB,
            max_rows: 200_000,
            max_columns: 256,
            max_cells: 8_000_000,
            header_search_rows: 20,
        }
    }
}
