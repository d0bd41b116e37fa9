"""What a federation sets for itself: its own awards, versioned (beside the default catalogue of
docs/domain.md section 6), its rule sets (beside the defaults of section 7), and its policy."""

from __future__ import annotations

from services.awards.application import commands as c
from services.awards.application import lookups
from services.awards.application.store import Store
from services.awards.application.subjects import require_staff
from services.awards.domain.catalogue import DEFAULTS, FEDERATION_LEVELS, Award, FederationCatalogue
from services.awards.domain.policy import Policy, RuleBook
from services.awards.domain.rulebook import validate
from shared.kernel.errors import Conflict, FieldError, Invalid, NotFound
from shared.store.eventstore import CommandResult, Context


def define_award(store: Store, ctx: Context, federation: str, cmd: c.DefineAward) -> CommandResult:
    """At any level: above the federation's (national, ministry, state) it names who grants it,
    and is recorded with grants:import, never decided by the federation."""
    require_staff(ctx, federation)
    if cmd.code in DEFAULTS:
        raise Conflict(f"'{cmd.code}' is a default award", [FieldError("code", "already exists")])
    upward = cmd.level not in FEDERATION_LEVELS
    if upward and cmd.authority is None:
        raise Invalid.on("authority", f"a {cmd.level}-level award names who grants it")
    if not upward and cmd.authority is not None:
        raise Invalid.on("authority", "the federation grants its own awards at its levels")
    own = _catalogue(store, ctx, federation)
    if cmd.code in own.awards:
        raise Conflict(f"award '{cmd.code}' already exists", [FieldError("code", "already exists")])
    terms = cmd.model_dump(exclude={"authority"})
    own.define(federation=federation, authority=cmd.authority or f"ldld:{federation}", meta=ctx.meta, **terms)
    return store.commit(ctx, [own], _shown(own.award(cmd.code)), version=own.version)


def amend_award(store: Store, ctx: Context, federation: str, code: str, cmd: c.AmendAward) -> CommandResult:
    require_staff(ctx, federation)
    own = _own_award(store, federation, code)
    ctx.check_version(own)
    changes = cmd.model_dump(exclude={"effective_from"}, exclude_none=True)
    own.amend(code, cmd.effective_from, changes, ctx.meta)
    return store.commit(ctx, [own], _shown(own.award(code)), status=200, version=own.version)


def retire_award(store: Store, ctx: Context, federation: str, code: str, cmd: c.RetireAward) -> CommandResult:
    require_staff(ctx, federation)
    own = _own_award(store, federation, code)
    ctx.check_version(own)
    own.retire(code, cmd.effective_until, ctx.meta)
    return store.commit(ctx, [own], _shown(own.award(code)), status=200, version=own.version)


def _catalogue(store: Store, ctx: Context, federation: str) -> FederationCatalogue:
    own = store.find(FederationCatalogue, FederationCatalogue.id_for(federation))
    return own or FederationCatalogue(federation, meta=ctx.meta)


def _own_award(store: Store, federation: str, code: str) -> FederationCatalogue:
    """The federation's catalogue holding `code`; a default award follows the law, not the federation."""
    if code in DEFAULTS:
        raise Conflict(
            f"'{code}' is a default award: the law amends it", [FieldError("code", "default award")]
        )
    own = store.find(FederationCatalogue, FederationCatalogue.id_for(federation))
    if own is None or code not in own.awards:
        raise NotFound(f"award '{code}' is not one of federation '{federation}'s own")
    return own


def _shown(award: Award | None) -> dict:
    assert award is not None
    return award.as_dict()


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
