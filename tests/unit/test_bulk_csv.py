"""Bulk CSV reading and writing: delimiters, quoting, blanks, #N/A, relationship columns,
typed values and the result formats."""

from __future__ import annotations

import pytest

from mock_salesforce.bulk import csvdata, query
from mock_salesforce.bulk.jobs import RowResult
from mock_salesforce.schema import ObjectDef, standard_schema


def contact() -> ObjectDef:
    obj = standard_schema().object("Contact")
    assert obj is not None
    return obj


def every_field(obj: ObjectDef, fdef: object) -> bool:
    return True


def test_read_rows_handles_quotes_delimiters_and_a_bom() -> None:
    text = '\ufeffName;Note\r\n"A;B";"say ""hi"""\r\nC;\r\n'
    assert csvdata.read_rows(text, "SEMICOLON") == [
        ["Name", "Note"],
        ["A;B", 'say "hi"'],
        ["C", ""],
    ]


def test_one_column_files_keep_empty_rows() -> None:
    assert csvdata.read_rows("Name\nOne\n\n") == [["Name"], ["One"], [""]]


def test_unreadable_csv_is_an_invalid_batch() -> None:
    with pytest.raises(csvdata.InvalidBatch, match="Unable to parse CSV"):
        csvdata.read_rows('Name\n"unterminated\n', "COMMA")


def test_blank_is_ignored_na_is_null_and_values_are_typed() -> None:
    columns = csvdata.resolve_header(
        contact(), ["LastName", "Title", "Phone", "HasOptedOutOfEmail", "Birthdate"], every_field
    )
    record = csvdata.record_from_row(columns, ["Doe", "", "#N/A", "1", "2020-02-29"])
    assert record == {
        "LastName": "Doe",
        "Phone": None,
        "HasOptedOutOfEmail": True,
        "Birthdate": "2020-02-29",
    }, record


def test_relationship_columns_become_foreign_keys() -> None:
    columns = csvdata.resolve_header(
        contact(), ["Account.Legacy__c", "Owner.Username"], every_field
    )
    record = csvdata.record_from_row(columns, ["A-1", "#N/A"])
    assert record == {"Account": {"Legacy__c": "A-1"}, "OwnerId": None}, record


def test_unknown_and_duplicate_columns_fail_the_file() -> None:
    with pytest.raises(csvdata.InvalidBatch, match="Field name not found : Nope__c"):
        csvdata.resolve_header(contact(), ["LastName", "Nope__c"], every_field)
    with pytest.raises(csvdata.InvalidBatch, match="Duplicate field name"):
        csvdata.resolve_header(contact(), ["LastName", "lastname"], every_field)
    with pytest.raises(csvdata.InvalidBatch, match="Field name not found : Title"):
        csvdata.resolve_header(contact(), ["Title"], lambda obj, fdef: fdef.name != "Title")


def test_bad_values_name_their_column_and_type() -> None:
    columns = csvdata.resolve_header(contact(), ["LastName", "Birthdate"], every_field)
    with pytest.raises(csvdata.ValueProblem) as problem:
        csvdata.record_from_row(columns, ["Doe", "2020-13-40"])
    assert problem.value.message == (
        "Failed to deserialize field at col 1. Due to, '2020-13-40' is not a valid value for "
        "the type xsd:date"
    )


def test_written_values_are_all_quoted() -> None:
    text = csvdata.write_rows([["Id", "Name"], ["001", None], ["002", 'a "b"']], "PIPE", "CRLF")
    assert text == '"Id"|"Name"\r\n"001"|""\r\n"002"|"a ""b"""\r\n'


def test_query_values_as_bulk_writes_them() -> None:
    assert csvdata.csv_value(None, "String") == ""
    assert csvdata.csv_value(True, "Boolean") == "true"
    assert csvdata.csv_value("2024-05-01T09:00:00.000+0000", "Datetime") == (
        "2024-05-01T09:00:00.000Z"
    )


def test_error_text_format() -> None:
    with_fields = RowResult(
        "error",
        status_code="REQUIRED_FIELD_MISSING",
        message="Required fields are missing: [Name]",
        fields=["Name"],
    )
    assert with_fields.error_text() == (
        "REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --"
    )
    bare = RowResult(
        "error", status_code="INVALID_CROSS_REFERENCE_KEY", message="invalid cross reference id"
    )
    assert bare.error_text() == "INVALID_CROSS_REFERENCE_KEY:invalid cross reference id:--"


def test_locators_round_trip_and_refuse_garbage() -> None:
    assert query.encode_locator(10000) == "MTAwMDA"
    assert query.decode_locator("MTAwMDA") == 10000
    assert query.decode_locator("not a locator!") is None
