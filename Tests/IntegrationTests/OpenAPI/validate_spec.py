"""Validates docs/openapi.yaml as an OpenAPI 3.1 document (openapi-spec-validator, from PyPI).

Usage: validate_spec.py <spec.yaml>. Prints one line and exits 0 when the document is valid.
"""

import sys

import yaml
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError


def main() -> int:
    path = sys.argv[1]
    with open(path, encoding="utf-8") as file:
        document = yaml.safe_load(file)
    if not str(document.get("openapi", "")).startswith("3.1."):
        print(f"{path}: not an OpenAPI 3.1 document (openapi: {document.get('openapi')!r})")
        return 1
    try:
        validate(document)
    except OpenAPIValidationError as error:
        print(f"{path}: invalid: {error}")
        return 1
    print(f"{path}: valid OpenAPI {document['openapi']}, {len(document['paths'])} paths")
    return 0


if __name__ == "__main__":
    sys.exit(main())
