"""An import-linter contract of our own (wired in pyproject.toml, checked by `make lint` and the
suite's tests/test_structure.py): other apps use an app only through its public modules.

A module of one app may import a module of another app only when that module's last name is one
of `public_names` (`services`, `selectors`, `exceptions`, `types`: e.g. `knowledge.selectors`,
`integrations.ai.services`, but not `conversations.services.ingest`, an internal module of the
package), or it is listed in `also_public` (the kernel models, the channel-adapter contract…).
import-linter's built-in contracts can only forbid named modules, which lets every module added
later slip through; this one allows named modules instead.
"""

from __future__ import annotations

from grimp import ImportGraph
from importlinter import Contract, ContractCheck, fields, output


class PublicModulesContract(Contract):
    type_name = "public_modules"

    apps = fields.ListField(subfield=fields.StringField())
    public_names = fields.ListField(subfield=fields.StringField())
    also_public = fields.ListField(subfield=fields.StringField(), required=False)

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        apps = list(self.apps)  # type: ignore[arg-type]
        public_names = set(self.public_names)  # type: ignore[arg-type]
        also_public = set(self.also_public or [])  # type: ignore[arg-type]

        def app_of(module: str) -> str | None:
            return next((app for app in apps if module == app or module.startswith(app + ".")), None)

        def is_public(module: str) -> bool:
            return module in also_public or module.rsplit(".", 1)[-1] in public_names

        violations = []
        for importer in sorted(graph.modules):
            importer_app = app_of(importer)
            if importer_app is None:
                continue
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                imported_app = app_of(imported)
                if imported_app in (None, importer_app) or is_public(imported):
                    continue
                lines = [d["line_number"] for d in graph.get_import_details(importer=importer, imported=imported)]
                violations.append({"importer": importer, "imported": imported, "lines": lines})
        return ContractCheck(kept=not violations, metadata={"violations": violations})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for violation in check.metadata["violations"]:
            lines = ", ".join(f"l.{n}" for n in violation["lines"])
            output.print_error(f"{violation['importer']} -> {violation['imported']} ({lines})", bold=False)
            output.new_line()
        output.print(
            "Import the other app's services, selectors, exceptions or types instead (or declare the "
            "module public in pyproject.toml, and say why in docs/architecture.md §1)."
        )
