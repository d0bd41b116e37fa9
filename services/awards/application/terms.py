"""What a federation sets for itself: its own awards (beside the default catalogue of
docs/domain.md section 6), its rule sets (beside the defaults of section 7), and its policy."""

from __future__ import annotations

from services.awards.application import commands as c
from services.awards.application import lookups
from services.awards.application.store import Store
from services.awards.application.subjects import require_staff
from services.awards.domain.catalogue import DEFAULTS, FederationCatalogue
from services.awards.domain.policy import Policy, RuleBook
from services.awards.domain.rulebook import validate
from shared.kernel.errors import Conflict, FieldError
from shared.store.eventstore import CommandResult, Context


def define_award(store: Store, ctx: Context, federation: str, cmd: c.DefineAward) -> CommandResult:
    require_staff(ctx, federation)
    if cmd.code in DEFAULTS:
        raise Conflict(f"'{cmd.code}' is a default award", [FieldError("code", "already exists")])
    own = store.find(FederationCatalogue, FederationCatalogue.id_for(federation))
    own = own or FederationCatalogue(federation, meta=ctx.meta)
    if cmd.code in own.awards:
        raise Conflict(f"award '{cmd.code}' already exists", [FieldError("code", "already exists")])
    own.define(
        federation=federation,
        authority=f"ldld:{federation}",
        meta=ctx.meta,
        **cmd.model_dump(),
    )
    return store.commit(ctx, [own], own.all()[cmd.code].as_dict(), version=own.version)


def publish_rule_set(store: Store, ctx: Context, federation: str, cmd: c.PublishRuleSet) -> CommandResult:
    require_staff(ctx, federation)
    lookups.award(store, federation, cmd.award)
    rule = {"award": cmd.award, "source": cmd.source, "clauses": cmd.clauses}
    validate({**rule, "effective_from": cmd.effective_from.isoformat()}, at="body")
    book = store.find(RuleBook, RuleBook.id_for(federation)) or RuleBook(federation, meta=ctx.meta)
    if book.has(cmd.award, cmd.rule_version):
        raise Conflict(
            f"rule set '{cmd.rule_version}' of '{cmd.award}' already exists",
            [FieldError("rule_version", "already exists")],
        )
    book.publish(federation, cmd.award, cmd.rule_version, cmd.effective_from, rule, ctx.meta)
    return store.commit(ctx, [book], book.rule_sets[-1], version=book.version)


def set_policy(store: Store, ctx: Context, federation: str, cmd: c.SetPolicy) -> CommandResult:
    require_staff(ctx, federation)
    changes = cmd.model_dump(mode="json", exclude_none=True)
    for award in changes.get("ratio_caps", {}):
        lookups.award(store, federation, award, f"ratio_caps.{award}")
    policy = store.find(Policy, Policy.id_for(federation)) or Policy(federation, meta=ctx.meta)
    policy.change(changes, ctx.meta)
    return store.commit(ctx, [policy], policy.settings, status=200, version=policy.version)
