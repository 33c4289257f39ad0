"""Hypothesis strategies for datasets: one definition of every record, shared by tests.

:func:`datasets` gives well-formed (not necessarily semantically valid)
datasets. ``storable=True`` narrows them to what a database keeps as it is
(text a UTF-8 column accepts, unique ids, services and agreements of one
existing organisation, non-negative amounts with cents): the workspace's
row round trip needs that; the JSON round trip takes anything well-formed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from jarjesto_core.kinds import CORE_SERVICE_KINDS
from jarjesto_core.model import (
    Agreement,
    AgreementKind,
    Appropriation,
    Commitment,
    Coordinator,
    CoordinatorTitle,
    Dataset,
    Domain,
    Funder,
    FunderKind,
    Hearing,
    JointAuthority,
    Name,
    Organisation,
    PartyRef,
    PremisesTerms,
    Responsibility,
    ResponsibleParty,
    Scope,
    Service,
    Structure,
    StructureKind,
    Topic,
    WelfareReport,
    WelfareReportKind,
)

#: The organisation that storable services and agreements belong to.
ORGANISATION = "yhdistys"

ids = st.from_regex(r"[a-z0-9][a-z0-9_.-]{0,10}", fullmatch=True)
codes3 = st.from_regex(r"[0-9]{3}", fullmatch=True)
codes2 = st.from_regex(r"[0-9]{2}", fullmatch=True)
dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))
maybe_dates = st.none() | dates
parties = (
    st.builds(PartyRef.municipality, codes3)
    | st.builds(PartyRef.area, codes2)
    | st.builds(PartyRef.joint, ids)
    | st.builds(PartyRef.funder, ids)
)

#: Any text the dataset format takes: valid Unicode, no control characters but tab and
#: line breaks (jarjesto_core.text refuses the rest where text enters).
_REFUSED = "".join(chr(c) for c in (*range(0x20), 0x7F) if chr(c) not in "\t\n\r")
_any_text = st.text(
    st.characters(exclude_categories=("Cs",), exclude_characters=_REFUSED), min_size=1, max_size=12
).filter(lambda s: s.strip() != "")
_storable_text = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=15
).filter(str.strip)


def _names(texts: st.SearchStrategy[str]) -> st.SearchStrategy[Name]:
    return (
        st.tuples(st.none() | texts, st.none() | texts, st.none() | texts)
        .filter(lambda t: any(x is not None for x in t))
        .map(lambda t: Name(*t))
    )


def _tuples(
    elements: st.SearchStrategy[Any], max_size: int = 3
) -> st.SearchStrategy[tuple[Any, ...]]:
    return st.lists(elements, max_size=max_size).map(tuple)


def _unique(records: list[Any]) -> tuple[Any, ...]:
    return tuple({r.id: r for r in records}.values())


def datasets(*, storable: bool = False) -> st.SearchStrategy[Dataset]:
    texts = _storable_text if storable else _any_text
    names = _names(texts)
    counts = st.none() | (st.integers(0, 10**12) if storable else st.integers(-(2**40), 2**40))
    amount = (
        st.decimals(0, 10**9, places=2, allow_nan=False, allow_infinity=False)
        if storable
        else st.decimals(-(10**12), 10**12, allow_nan=False, allow_infinity=False)
    )
    amounts = st.none() | amount
    owner = st.just(ORGANISATION) if storable else ids
    kinds = st.sampled_from(sorted(CORE_SERVICE_KINDS)) if storable else texts

    organisations = st.builds(
        Organisation,
        id=ids,
        name=names,
        languages=_tuples(texts),
        scope=st.sampled_from(Scope),
        municipalities=_tuples(codes3),
        business_id=st.none() | (st.just("0242746-2") if storable else texts),
        register_number=st.none() | texts,
        fields=_tuples(texts),
        members=counts,
        volunteers=counts,
        founded=maybe_dates,
        dissolved=maybe_dates,
    )
    records = {
        "services": st.builds(
            Service,
            id=ids,
            organisation=owner,
            name=names,
            kind=kinds,
            municipalities=_tuples(codes3),
            languages=_tuples(texts),
            in_service_path=st.booleans(),
            participants_per_year=counts,
            location=st.none() | codes3,
        ),
        "agreements": st.builds(
            Agreement,
            id=ids,
            kind=st.sampled_from(AgreementKind),
            party=parties,
            organisation=owner,
            start=dates,
            services=_tuples(ids),
            decided=maybe_dates,
            end=maybe_dates,
            annual_amount_eur=amounts,
            premises_terms=st.none() | st.sampled_from(PremisesTerms),
            lots=st.none() | st.booleans(),
        ),
        "responsibilities": st.builds(
            Responsibility,
            id=ids,
            municipality=codes3,
            area=codes2,
            start=dates,
            assignments=st.dictionaries(kinds, st.sampled_from(ResponsibleParty), max_size=3),
            end=maybe_dates,
        ),
        "structures": st.builds(
            Structure,
            id=ids,
            kind=st.sampled_from(StructureKind),
            party=parties,
            name=names,
            members=_tuples(ids),
            meetings=_tuples(dates),
            established=maybe_dates,
            dissolved=maybe_dates,
        ),
        "coordinators": st.builds(
            Coordinator,
            id=ids,
            party=parties,
            title=st.sampled_from(CoordinatorTitle),
            start=dates,
            covers_organisations=st.booleans(),
            end=maybe_dates,
        ),
        "hearings": st.builds(
            Hearing,
            id=ids,
            party=parties,
            date=dates,
            topic=texts,
            organisations=_tuples(ids),
            structures=_tuples(ids),
            languages=_tuples(texts),
            decision=st.none() | texts,
            decision_date=maybe_dates,
            deadline=maybe_dates,
            statements=counts,
            response_published=st.none() | st.booleans(),
            changes=st.none() | texts,
            residents=st.none() | st.booleans(),
        ),
        "commitments": st.builds(
            Commitment,
            id=ids,
            party=parties,
            document=texts,
            start=dates,
            topics=_tuples(st.sampled_from(Topic)),
            decided=maybe_dates,
            end=maybe_dates,
        ),
        "welfare_reports": st.builds(
            WelfareReport,
            id=ids,
            party=parties,
            kind=st.sampled_from(WelfareReportKind),
            start=dates,
            end=maybe_dates,
            decided=maybe_dates,
            organisations_heard=st.none() | st.booleans(),
            includes_organisations=st.none() | st.booleans(),
            indicators=st.none() | texts,
        ),
        "appropriations": st.builds(
            Appropriation,
            id=ids,
            party=parties,
            year=st.integers(2000, 2100) if storable else st.integers(-(2**31), 2**31),
            line=texts,
            amount_eur=amount,
            hyte=st.none() | st.booleans(),
            grants_reserved_eur=amounts,
        ),
        "joint_authorities": st.builds(
            JointAuthority,
            id=ids,
            name=names,
            members=_tuples(codes3),
            start=dates,
            organises=_tuples(st.sampled_from(Domain)),
            end=maybe_dates,
        ),
        "funders": st.builds(
            Funder,
            id=ids,
            name=names,
            kind=st.sampled_from(FunderKind),
            business_id=st.none() | (st.just("0242746-2") if storable else texts),
        ),
    }
    if storable:
        owner_record = Organisation(
            id=ORGANISATION, name=Name(fi="Y"), languages=(), scope=Scope.LOCAL, municipalities=()
        )
        orgs = st.lists(organisations, max_size=3).map(lambda o: _unique([owner_record, *o]))
        lists = {k: st.lists(v, max_size=3).map(_unique) for k, v in records.items()}
    else:
        orgs = _tuples(organisations, max_size=2)
        lists = {k: _tuples(v, max_size=2) for k, v in records.items()}
    return st.builds(
        Dataset,
        name=st.none() | names,
        description=st.none() | names,
        organisations=orgs,
        **lists,
    )
