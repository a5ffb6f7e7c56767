using System.CommandLine;
using System.Text.Json;
using Oxidation.Cves;
using Oxidation.Model;
using Oxidation.Releases;
using Oxidation.Store;
using Spectre.Console;

namespace Oxidation.Cli;

/// <summary><c>oxidation cves …</c>: import the kernel CNA's records, classify them, and answer questions about them.</summary>
internal static class CvesCommand
{
    public static Command Build()
    {
        var cves = new Command("cves", "Kernel CVE records: import, classify by bug class, statistics");
        cves.Subcommands.Add(Import());
        cves.Subcommands.Add(Stats());
        cves.Subcommands.Add(Show());
        cves.Subcommands.Add(List());
        cves.Subcommands.Add(Affecting());
        cves.Subcommands.Add(Classify());
        return cves;
    }

    private static readonly Option<bool> JsonOption = new("--json") { Description = "Write JSON to standard output" };

    private static Command Import()
    {
        var path = new Argument<string>("path") { Description = "A checkout of the kernel CNA's vulns repository, or an archive (.tar.xz/.tar.gz/.tar) with its layout" };
        var force = new Option<bool>("--force") { Description = "Import even when nothing changed since the last import" };
        var command = new Command("import", "Import every record (cve/published and cve/rejected), classify it (rules where certain, the learned model for the rest; with --repo, the fix diff where the text is unsure), and store it")
        {
            path, force, JsonOption, CveClassifiers.RulesOnly, CveClassifiers.Model, CveClassifiers.Repo,
        };
        command.SetAction(parse => Databases.With(parse, db =>
        {
            var source = parse.GetValue(path)!;
            if (!File.Exists(source) && !Directory.Exists(source))
            {
                Consoles.Fail($"{source}: no such file or directory");
                return ExitCodes.BadInput;
            }
            if (!CveClassifiers.TryOpenClone(parse, out var clone, out var exit))
                return exit;
            using var _ = clone;
            if (CveClassifiers.Resolve(parse, out exit) is not { } text)
                return exit;
            var classifier = CveClassifiers.WithFixDiffs(text, clone);
            // The clone's HEAD too: fetching the fixes it lacked imports again.
            var fingerprint = CveFacts.Fingerprint(source) + ":" + classifier.Version + (clone is null ? "" : ":" + clone.Head);
            if (!parse.GetValue(force) && CveStore.LastFingerprint(db) == fingerprint)
            {
                Console.Error.WriteLine($"{source}: unchanged since the last import; nothing to do (--force to import again)");
                return ExitCodes.Ok;
            }
            CveImport read;
            try
            {
                read = CveStore.Import(db, source, classifier, fingerprint);
            }
            catch (CveReadException ex)
            {
                Consoles.Fail(ex.Message);
                return ExitCodes.BadInput;
            }
            catch (Learning.CveModelException ex)
            {
                Consoles.Fail(ex.Message + "; database unchanged");
                return ExitCodes.Database;
            }
            var diffs = classifier is FixDiffClassifier withDiffs ? withDiffs.Summary() : null;
            var decided = diffs is null ? 0 : CveStore.DecidedByFixDiff(db);
            if (parse.GetValue(JsonOption))
            {
                var summary = new
                {
                    files = read.Files,
                    published = read.Published,
                    rejected = read.Rejected,
                    noText = read.NoText,
                    classifier = read.Classifier,
                    classified = read.Classified,
                    cached = read.Cached,
                    failed = read.Problems.Count,
                    problems = read.Problems,
                };
                // Without --repo the summary is what it always was: no fixDiffs field.
                if (diffs is null)
                    WriteJson(summary);
                else
                {
                    WriteJson(new
                    {
                        summary.files,
                        summary.published,
                        summary.rejected,
                        summary.noText,
                        summary.classifier,
                        summary.classified,
                        summary.cached,
                        summary.failed,
                        summary.problems,
                        fixDiffs = new
                        {
                            repository = diffs.Repository,
                            records = diffs.Records,
                            found = diffs.Found,
                            missing = diffs.Problems.Count,
                            decided,
                            problems = diffs.Problems.Select(p => new { id = p.Id, reason = p.Reason }),
                        },
                    });
                }
            }
            else
            {
                Consoles.Out.MarkupLineInterpolated($"Imported {read.Published:N0} published and {read.Rejected:N0} rejected records from {source} into {db.Path}.");
                Consoles.Out.MarkupLineInterpolated($"Classifier {read.Classifier}: {read.Classified:N0} records classified, {read.Cached:N0} from the cache.");
                if (read.NoText > 0)
                    Console.Error.WriteLine($"oxidation: {read.NoText:N0} records have no text: classed other, low confidence");
                foreach (var p in read.Problems.Take(20))
                    Console.Error.WriteLine($"oxidation: skipped {p.Path}: {p.Reason}");
                if (read.Problems.Count > 20)
                    Console.Error.WriteLine($"oxidation: … and {read.Problems.Count - 20} more skipped records (all in --json)");
                if (diffs is not null)
                {
                    Consoles.Out.MarkupLineInterpolated($"Fix diffs from {diffs.Repository}: {diffs.Found:N0} of {diffs.Records:N0} published records' fixes found, {decided:N0} records classed by their fix diff, {diffs.Problems.Count:N0} classified from their text alone (fix not in the clone).");
                    foreach (var p in diffs.Problems.Take(20))
                        Console.Error.WriteLine($"oxidation: {p.Id}: {p.Reason}; classified from its text");
                    if (diffs.Problems.Count > 20)
                        Console.Error.WriteLine($"oxidation: … and {diffs.Problems.Count - 20} more records without their fix in the clone (all in --json)");
                }
            }
            return read.Problems.Count > 0 ? ExitCodes.Partial : ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Stats()
    {
        var release = new Option<string?>("--release") { Description = "The scanned release whose line counts give the density (default: the newest scanned)" };
        var asOf = new Option<string?>("--as-of") { Description = "The date the Rust exposure is measured to (default: the day of the import)" };
        var command = new Command("stats", "Records by year, class, subsystem and language; memory-safety share with bounds; density per million lines") { JsonOption, release, asOf };
        command.SetAction(parse => Databases.With(parse, readOnly: true, action: db =>
        {
            if (!HasRecords(db))
                return ExitCodes.BadInput;
            DateOnly? date = null;
            if (parse.GetValue(asOf) is { } a)
            {
                if (!AsOfDate.TryParse(a, out var d))
                    return ExitCodes.BadInput;
                date = d;
            }
            if (parse.GetValue(release) is { } wanted)
            {
                var scanned = ScanStore.Releases(db);
                if (!scanned.Contains(wanted))
                {
                    Consoles.Fail($"--release {wanted}: not a scanned release in {db.Path} (scanned: {(scanned.Count == 0 ? "none" : string.Join(", ", scanned))})");
                    return ExitCodes.BadInput;
                }
            }
            var stats = CveStore.Statistics(db, parse.GetValue(release), date);
            if (parse.GetValue(JsonOption))
                WriteJson(stats);
            else
                CveViews.RenderStats(Consoles.Out, stats);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Show()
    {
        var id = new Argument<string>("id") { Description = "A CVE id, e.g. CVE-2025-68260" };
        var command = new Command("show", "One record: class, evidence, fixed files, affected ranges, fixes, CVSS") { id, JsonOption };
        command.SetAction(parse => Databases.With(parse, readOnly: true, action: db =>
        {
            var typed = parse.GetValue(id)!;
            var key = typed.ToUpperInvariant();
            if (!CveParser.IsId(key))
            {
                Consoles.Fail($"{typed}: not a CVE id (expected e.g. CVE-2025-68260)");
                return ExitCodes.BadInput;
            }
            var row = CveStore.Detail(db, key);
            if (row is null)
            {
                Consoles.Fail($"{key}: not in {db.Path} (run oxidation cves import first?)");
                return ExitCodes.BadInput;
            }
            var (files, fixes) = (row.Files, row.Fixes);
            var ranges = row.Ranges.Select(r => new { group = r.Group, kind = r.Kind, version = r.Version, lessThan = r.LessThan, lessThanOrEqual = r.LessThanOrEqual, status = r.Status, defaultStatus = r.DefaultStatus }).ToList();
            var record = new
            {
                id = row.Id,
                state = row.State,
                year = row.Year,
                subject = row.Subject,
                @class = row.Class,
                memorySafety = row.MemorySafety,
                preventedBySafeRust = row.PreventedBySafeRust,
                confidence = row.Confidence,
                evidence = row.Evidence,
                cvssVector = row.CvssVector,
                cvssScore = row.CvssScore,
                language = row.Language,
                fixedFiles = files,
                fixes,
                ranges,
                description = row.Description,
            };
            if (parse.GetValue(JsonOption))
            {
                WriteJson(record);
                return ExitCodes.Ok;
            }
            var c = Consoles.Out;
            c.MarkupLineInterpolated($"[bold]{row.Id}[/] ({row.State}, {row.Year}): {row.Subject}");
            c.MarkupLineInterpolated($"Class: [bold]{row.Class}[/] (memory safety: {row.MemorySafety}, prevented by safe Rust: {row.PreventedBySafeRust}), confidence {row.Confidence}");
            c.MarkupLineInterpolated($"Evidence: {row.Evidence}");
            c.MarkupLineInterpolated($"CVSS 3.1: {row.CvssVector ?? "none"} {row.CvssScore}");
            c.MarkupLineInterpolated($"Files the fix touched ({row.Language}): {string.Join(", ", files)}");
            c.MarkupLineInterpolated($"Fixes: {string.Join(", ", fixes)}");
            var table = new Table().AddColumns("Entry", "Kind", "Version", "Less than", "≤", "Status", "Default");
            foreach (var r in ranges)
                table.AddRow(Markup.Escape($"{r.group}"), Markup.Escape($"{r.kind}"), Markup.Escape($"{r.version}"), Markup.Escape($"{r.lessThan}"), Markup.Escape($"{r.lessThanOrEqual}"), Markup.Escape($"{r.status}"), Markup.Escape($"{r.defaultStatus}"));
            c.Write(table);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command List()
    {
        var cls = new Option<string?>("--class") { Description = "Only this bug class (e.g. use-after-free)" };
        var since = new Option<int?>("--since") { Description = "Only records of this year or later", CustomParser = CommandLine.WholeNumber };
        var path = new Option<string?>("--path") { Description = "Only records whose fix touched a file under this path (e.g. drivers/android)" };
        var rejected = new Option<bool>("--rejected") { Description = "List rejected records instead of published ones" };
        var command = new Command("list", "Records matching filters") { cls, since, path, rejected, JsonOption };
        command.SetAction(parse => Databases.With(parse, readOnly: true, action: db =>
        {
            if (parse.GetValue(cls) is { } wanted && !BugClassifier.Default.Classes.Contains(wanted))
            {
                Consoles.Fail($"--class {wanted}: unknown class; one of {string.Join(", ", BugClassifier.Default.Classes)}");
                return ExitCodes.BadInput;
            }
            var rows = CveStore.List(db, new CveFilter(parse.GetValue(rejected), parse.GetValue(cls), parse.GetValue(since), parse.GetValue(path)));
            if (parse.GetValue(JsonOption))
            {
                WriteJson(rows.Select(r => new { id = r.Id, year = r.Year, @class = r.Class, confidence = r.Confidence, subject = r.Subject }));
                return ExitCodes.Ok;
            }
            var table = new Table().AddColumns("Id", "Year", "Class", "Confidence", "Subject");
            foreach (var r in rows)
                table.AddRow(Markup.Escape(r.Id), $"{r.Year}", Markup.Escape(r.Class), Markup.Escape(r.Confidence), Markup.Escape(r.Subject));
            Consoles.Out.Write(table);
            Consoles.Out.MarkupLineInterpolated($"{rows.Count:N0} records");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Affecting()
    {
        var release = new Argument<string>("release") { Description = "A kernel release, e.g. 6.12.117" };
        var command = new Command("affecting", "The published records whose affected ranges include a release") { release, JsonOption };
        command.SetAction(parse => Databases.With(parse, readOnly: true, action: db =>
        {
            var r = parse.GetValue(release)!;
            if (!Release.TryParse(r, out _))
            {
                Consoles.Fail($"{r}: not a kernel release (expected e.g. 6.12.117 or 6.13-rc1)");
                return ExitCodes.BadInput;
            }
            if (!HasRecords(db))
                return ExitCodes.BadInput;
            var classes = CveStore.Classes(db);
            var hits = CveStore.Records(db).Where(x => ReleaseRanges.Affects(x, r)).ToList();
            if (parse.GetValue(JsonOption))
            {
                WriteJson(new { release = r, records = hits.Count, ids = hits.Select(h => new { id = h.Id, @class = classes[h.Id], subject = h.Subject }) });
                return ExitCodes.Ok;
            }
            foreach (var h in hits)
                Console.WriteLine($"{h.Id}\t{classes[h.Id]}\t{h.Subject}");
            Console.Error.WriteLine($"{hits.Count:N0} published records affect {r}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Classify()
    {
        var rejected = new Option<bool>("--rejected") { Description = "With --json, list rejected records too (marked \"state\": \"rejected\"); without it only published records are listed, as cves stats counts them" };
        var command = new Command("classify", "Classify every stored record (rules where certain, the learned model for the rest; stored back) and print the result")
        {
            JsonOption, rejected, CveClassifiers.RulesOnly, CveClassifiers.Model, CveClassifiers.Repo,
        };
        command.SetAction(parse => Databases.With(parse, db =>
        {
            if (!HasRecords(db))
                return ExitCodes.BadInput;
            if (!CveClassifiers.TryOpenClone(parse, out var clone, out var exit))
                return exit;
            using var _ = clone;
            if (CveClassifiers.Resolve(parse, out exit) is not { } text)
                return exit;
            var classifier = CveClassifiers.WithFixDiffs(text, clone);
            List<(string Id, string State, Classification Classification)> results;
            try
            {
                results = CveStore.Reclassify(db, classifier);
            }
            catch (Learning.CveModelException ex)
            {
                Consoles.Fail(ex.Message + "; database unchanged");
                return ExitCodes.Database;
            }
            if (classifier is FixDiffClassifier withDiffs && withDiffs.Summary() is { Problems.Count: > 0 } diffs)
                Console.Error.WriteLine($"oxidation: {diffs.Problems.Count:N0} published records' fixes are not in {diffs.Repository}: classified from their text (cves import --repo --json lists them)");
            // Published records only unless asked: the count matches cves stats' "published".
            var shown = parse.GetValue(rejected) ? results : [.. results.Where(r => r.State == "published")];
            if (parse.GetValue(JsonOption))
            {
                WriteJson(shown.Select(r => new
                {
                    id = r.Id,
                    state = r.State,
                    @class = r.Classification.Class,
                    memorySafety = r.Classification.MemorySafety,
                    preventedBySafeRust = r.Classification.PreventedBySafeRust,
                    confidence = r.Classification.Confidence.ToString().ToLowerInvariant(),
                    evidence = r.Classification.Evidence,
                }));
                return ExitCodes.Ok;
            }
            var table = new Table().AddColumns("Class", "Records", "High", "Medium", "Low");
            foreach (var g in shown.GroupBy(r => r.Classification.Class).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal))
                table.AddRow(g.Key, $"{g.Count():N0}", $"{g.Count(x => x.Classification.Confidence == Confidence.High):N0}",
                    $"{g.Count(x => x.Classification.Confidence == Confidence.Medium):N0}", $"{g.Count(x => x.Classification.Confidence == Confidence.Low):N0}");
            Consoles.Out.Write(table);
            Consoles.Out.MarkupLineInterpolated($"{shown.Count:N0} {(parse.GetValue(rejected) ? "records" : "published records")}, classifier {classifier.Version}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static bool HasRecords(OxidationDatabase db)
    {
        if (CveStore.Count(db) > 0)
            return true;
        Consoles.Fail($"{db.Path}: no CVE records; run oxidation cves import PATH first");
        return false;
    }


    private static void WriteJson<T>(T value)
    {
        using var stdout = Console.OpenStandardOutput();
        JsonSerializer.Serialize(stdout, value, ScanJson.Options);
        stdout.Write("\n"u8);
    }
}
