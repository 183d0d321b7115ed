//! Importers for the reference CSV files (area lists, service catalogue).
