import {
  type BirthDateSpan,
  fromOfacDatePeriod,
  type IdNumber,
  listedId,
  listedIdentifiers,
  type OfacDateBoundary,
  toCountryCode,
} from '@sekimori/identifiers';

type DatePart = 'Year' | 'Month' | 'Day';

/** A Birthdate feature's DatePeriod while it is read: Start and End, each with From and To. */
interface Period {
  start: OfacDateBoundary;
  end: OfacDateBoundary;
  boundary: OfacDateBoundary | null;
  side: 'from' | 'to' | null;
}

/**
 * What SDN Advanced says of a party beside its names, for NAME_MATCH evidence: birth dates
 * (Birthdate features), nationalities (Nationality Country and Citizenship Country features,
 * through Locations to ReferenceValueSets' Country ISO2) and identification documents
 * (IDRegDocuments, by the party's Identity). Countries, locations and documents come before
 * DistinctParties in the document, so each party is resolved when it closes.
 */
export class PartyIdentifiersReader {
  private readonly countryIso = new Map<string, string>();
  private readonly docTypes = new Map<string, string>();
  /** Location id -> ISO code: its LocationCountry, else its one part if that names a country. */
  private readonly locationCountry = new Map<string, string>();
  private readonly docsByIdentity = new Map<string, IdNumber[]>();
  private birthdateType: string | undefined;
  private readonly nationalityTypes = new Set<string>();

  private location: string | null = null;
  private doc: { identity: string; type: string; country: string } | null = null;

  // The party being read.
  private identities: string[] = [];
  private births: BirthDateSpan[] = [];
  private countries: string[] = [];
  private featureKind: 'birth' | 'nationality' | null = null;
  private period: Period | null = null;

  featureType(id: string, value: string): void {
    if (value === 'Birthdate') this.birthdateType = id;
    if (value === 'Nationality Country' || value === 'Citizenship Country') {
      this.nationalityTypes.add(id);
    }
  }

  identity(id: string | undefined): void {
    if (id) this.identities.push(id);
  }

  feature(typeId: string | undefined): void {
    if (typeId === undefined) this.featureKind = null;
    else if (typeId === this.birthdateType) this.featureKind = 'birth';
    else if (this.nationalityTypes.has(typeId)) this.featureKind = 'nationality';
    else this.featureKind = null;
  }

  inDate(): boolean {
    return this.period?.side != null;
  }

  /** An element opens; true when its text is wanted (`text` then receives it). */
  open(name: string, attrs: Record<string, string>): boolean {
    switch (name) {
      case 'Country':
        if (attrs.ID && attrs.ISO2) this.countryIso.set(attrs.ID, attrs.ISO2);
        return false;
      case 'IDRegDocType':
        return true;
      case 'Location':
        this.location = attrs.ID ?? null;
        return false;
      case 'LocationCountry': {
        const iso = this.countryIso.get(attrs.CountryID ?? '');
        if (this.location && iso) this.locationCountry.set(this.location, iso);
        return false;
      }
      case 'Value':
        return this.location !== null;
      case 'IDRegDocument':
        this.doc = {
          identity: attrs.IdentityID ?? '',
          type: attrs.IDRegDocTypeID ?? '',
          country: attrs['IssuedBy-CountryID'] ?? '',
        };
        return false;
      case 'IDRegistrationNo':
        return this.doc !== null;
      case 'VersionLocation':
        if (this.featureKind === 'nationality' && attrs.LocationID) {
          const country = this.locationCountry.get(attrs.LocationID);
          if (country) this.countries.push(country);
        }
        return false;
      case 'DatePeriod':
        if (this.featureKind === 'birth') {
          this.period = { start: empty(), end: empty(), boundary: null, side: null };
        }
        return false;
      case 'Start':
      case 'End':
        if (this.period) {
          const boundary = name === 'Start' ? this.period.start : this.period.end;
          boundary.approximate = attrs.Approximate === 'true';
          this.period.boundary = boundary;
        }
        return false;
      case 'From':
      case 'To':
        if (this.period?.boundary) this.period.side = name === 'From' ? 'from' : 'to';
        return false;
      default:
        return false;
    }
  }

  text(name: string, id: string, value: string): void {
    if (name === 'IDRegDocType') this.docTypes.set(id, value);
    // Nationalities are Locations with one part, the country's name ("Egypt").
    if (name === 'Value' && this.location && !this.locationCountry.has(this.location)) {
      const code = toCountryCode(value);
      if (code) this.locationCountry.set(this.location, code);
    }
    if (name === 'IDRegistrationNo' && this.doc) {
      const country = this.countryIso.get(this.doc.country);
      const number = listedId(value, this.docTypes.get(this.doc.type), country);
      if (number && this.doc.identity) {
        const list = this.docsByIdentity.get(this.doc.identity) ?? [];
        list.push(number);
        this.docsByIdentity.set(this.doc.identity, list);
      }
    }
  }

  datePart(name: DatePart, value: string): void {
    const p = this.period;
    if (!p?.boundary || !p.side || !/^\d+$/.test(value)) return;
    const key = name === 'Year' ? 'year' : name === 'Month' ? 'month' : 'day';
    p.boundary[p.side][key] = Number(value);
  }

  close(name: string): void {
    switch (name) {
      case 'Location':
        this.location = null;
        break;
      case 'IDRegDocument':
        this.doc = null;
        break;
      case 'From':
      case 'To':
        if (this.period) this.period.side = null;
        break;
      case 'Start':
      case 'End':
        if (this.period) this.period.boundary = null;
        break;
      case 'DatePeriod':
        if (this.period)
          this.births.push(...fromOfacDatePeriod(this.period.start, this.period.end));
        this.period = null;
        break;
      case 'Feature':
        this.featureKind = null;
        break;
    }
  }

  /** The closing party's identifiers as one compact string, and a clean slate for the next. */
  finishParty(): string {
    const ids = this.identities.flatMap((id) => this.docsByIdentity.get(id) ?? []);
    const text = listedIdentifiers(this.births, this.countries, ids);
    this.identities = [];
    this.births = [];
    this.countries = [];
    this.featureKind = null;
    return text;
  }
}

function empty(): OfacDateBoundary {
  return { from: {}, to: {} };
}
