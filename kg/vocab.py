"""The kg ontology's terms as a closed rdflib namespace.

GENERATED from ontology/kg.ttl (ontology version 0.1.0) by
``python -m kg.vocabgen``. Do not edit: change kg.ttl and run the command
again; ``python -m kg.vocabgen --check`` (run by the tests) fails while this
file is stale.
"""

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef


class KG(DefinedNamespace):
    """Terms of ``https://w3id.org/kg/ontology#``; an unknown name raises AttributeError."""

    _fail = True
    _NS = Namespace("https://w3id.org/kg/ontology#")

    # Classes
    CandidateStatement: URIRef  # Candidate statement
    Conference: URIRef  # Conference
    CooperationMechanism: URIRef  # Cooperation mechanism
    Document: URIRef  # Document
    Event: URIRef  # Event
    ExtractedStatement: URIRef  # Extracted statement
    GovernmentAgency: URIRef  # Government agency
    Instrument: URIRef  # Instrument
    InternationalOrganization: URIRef  # International organization
    Meeting: URIRef  # Meeting
    Membership: URIRef  # Membership
    Mention: URIRef  # Mention
    Organization: URIRef  # Organization
    Person: URIRef  # Person
    Place: URIRef  # Place
    Programme: URIRef  # Programme
    RegionalOrganization: URIRef  # Regional organization
    SectoralBody: URIRef  # Sectoral body
    Sentence: URIRef  # Sentence
    State: URIRef  # State
    Topic: URIRef  # Topic
    Workshop: URIRef  # Workshop

    # Properties
    acronym: URIRef  # acronym
    addresses: URIRef  # addresses
    affiliatedWith: URIRef  # affiliated with
    agencyOf: URIRef  # agency of
    anchorText: URIRef  # anchor text
    basedIn: URIRef  # based in
    chairedBy: URIRef  # chaired by
    confidence: URIRef  # confidence
    countryCount: URIRef  # country count
    endDate: URIRef  # end date
    endOffset: URIRef  # end offset
    endorsedBy: URIRef  # endorsed by
    endorsementDate: URIRef  # endorsement date
    establishedIn: URIRef  # established in
    establishedUnder: URIRef  # established under
    hasMember: URIRef  # has member
    hasPart: URIRef  # has part
    hasParticipant: URIRef  # has participant
    heldIn: URIRef  # held in
    hostedBy: URIRef  # hosted by
    inSentence: URIRef  # in sentence
    isoAlpha2: URIRef  # ISO 3166-1 alpha-2 code
    isoAlpha3: URIRef  # ISO 3166-1 alpha-3 code
    leadShepherdOf: URIRef  # lead shepherd of
    locatedIn: URIRef  # located in
    member: URIRef  # member
    memberOf: URIRef  # member of
    mentionOf: URIRef  # mention of
    modality: URIRef  # modality
    observerAt: URIRef  # observer at
    organization: URIRef  # organization
    organizedBy: URIRef  # organized by
    partOf: URIRef  # part of
    participantCount: URIRef  # participant count
    participatedIn: URIRef  # participated in
    periodEnd: URIRef  # period end
    periodStart: URIRef  # period start
    presentedAt: URIRef  # presented at
    reportsTo: URIRef  # reports to
    roleTopic: URIRef  # role topic
    roleType: URIRef  # role type
    rule: URIRef  # rule
    sentenceIndex: URIRef  # sentence index
    sourcePath: URIRef  # source path
    startDate: URIRef  # start date
    startOffset: URIRef  # start offset
    supportedBy: URIRef  # supported by
    text: URIRef  # text
    underFramework: URIRef  # under framework
    validFrom: URIRef  # valid from
    validUntil: URIRef  # valid until
