using System.CommandLine;
using System.Runtime.InteropServices;
using System.Text.Json;
using Oxidation.Reports;
using Oxidation.Reports.Claims;
using Oxidation.Reports.Writers;

namespace Oxidation.Cli;

/// <summary><c>oxidation report</c>, <c>serve</c> and <c>check</c>: show what the database holds.</summary>
internal static class ReportCommands
{
    public static Command Report()
    {
        var output = new Option<DirectoryInfo>("--out", "-o") { Description = "Directory to write index.html, report.md, charts/ and data/ into", DefaultValueFactory = _ => new DirectoryInfo("report") };
        var claims = new Option<FileInfo?>("--claims") { Description = "Claims file for the Claims section (default: the shipped examples/claims/state-of-rust.yaml)" };
        var asOf = new Option<string?>("--as-of") { Description = "The date Rust's CVE exposure is measured to, yyyy-mm-dd (default: the day of the CVE import)" };
        var command = new Command("report", "Write the report: a self-contained HTML page with charts, the same as Markdown, and the data as JSON") { output, claims, asOf };
        command.SetAction(parse => Databases.With(parse, readOnly: true, action: db =>
        {
            if (!LoadClaims(parse.GetValue(claims), out var file))
                return ExitCodes.BadInput;
            DateOnly? date = null;
            if (parse.GetValue(asOf) is { } text)
            {
                if (!AsOfDate.TryParse(text, out var d))
                    return ExitCodes.BadInput;
                date = d;
            }
            var directory = parse.GetValue(output)!.FullName;
            List<string> written;
            ReportModel model;
            try
            {
                ReportWriter.CheckOutput(directory);
                model = ReportBuilder.Build(db, file, date);
                written = ReportWriter.Write(model, directory);
            }
            catch (ReportOutputException ex)
            {
                Consoles.Fail(ex.Message);
                return ExitCodes.BadInput;
            }
            Console.Out.WriteLine($"Wrote {written.Count} files to {directory}: index.html, report.md, charts/, data/ ({HtmlReportWriter.Describe(model)}).");
            foreach (var missing in model.Missing)
                Console.Error.WriteLine($"oxidation: note: {missing}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static Command Serve()
    {
        var port = new Option<int>("--port", "-p") { Description = "Port on 127.0.0.1 and [::1] (0 picks a free one)", DefaultValueFactory = _ => 8470, CustomParser = r => CommandLine.WholeNumber(r) ?? 0 };
        var command = new Command("serve", "Serve the report on http://localhost:PORT (loopback only), read live from the database (rebuilt when it changes)") { port };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(CommandLine.Database)!.FullName;
            // Migrates an older database once; each rebuild then opens it read-only.
            if (Databases.With(parse, readOnly: true, action: _ => ExitCodes.Ok) != ExitCodes.Ok)
                return ExitCodes.Database;
            ReportServer server;
            try
            {
                server = ReportServer.Start(path, parse.GetValue(port), line => Console.Error.WriteLine(line));
            }
            catch (ServeException ex)
            {
                Consoles.Fail(ex.Message);
                return ExitCodes.BadInput;
            }
            using (server)
            {
                using var stop = new CancellationTokenSource();
                // Ctrl+C and SIGTERM stop the server and the command ends normally. Declared after `stop`, the
                // registrations are disposed before it: a signal during exit no longer cancels a disposed source
                // (Ctrl+C used to end in an ObjectDisposedException from a ProcessExit handler, exit 134).
                using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
                using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
                Console.Out.WriteLine($"Serving the report of {path} on {server.Url} (Ctrl+C stops)");
                Console.Out.Flush();
                server.RunAsync(stop.Token).GetAwaiter().GetResult();

                void Stop(PosixSignalContext signal)
                {
                    signal.Cancel = true;
                    stop.Cancel();
                }
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Check()
    {
        var file = new Argument<FileInfo>("claims") { Description = "A claims file (YAML, docs/claims.md), e.g. examples/claims/state-of-rust.yaml" };
        var json = new Option<bool>("--json") { Description = "Write the verdicts as JSON to standard output" };
        var command = new Command("check", "Check claims about Rust in Linux against the database: holds, fails or cannot tell, with the evidence") { file, json };
        command.SetAction(parse => Databases.With(parse, readOnly: true, action: db =>
        {
            if (!LoadClaims(parse.GetValue(file), out var claims))
                return ExitCodes.BadInput;
            var verdicts = ClaimChecker.Evaluate(db, claims!);
            if (parse.GetValue(json))
            {
                using var stdout = Console.OpenStandardOutput();
                JsonSerializer.Serialize(stdout, verdicts, ReportWriter.JsonOptions);
                stdout.Write("\n"u8);
            }
            else
            {
                Console.Out.Write(ClaimChecker.Render(verdicts));
            }
            foreach (var v in verdicts.Where(v => v.Verdict == Verdict.Invalid))
                Console.Error.WriteLine($"oxidation: error: {v.Evidence}");
            return verdicts.Any(v => v.Verdict == Verdict.Invalid) ? ExitCodes.Partial : ExitCodes.Ok;
        }));
        return command;
    }

    private static bool LoadClaims(FileInfo? path, out ClaimsFile? file)
    {
        file = null;
        if (path is null)
            return true;
        try
        {
            file = ClaimsFile.Load(path.ToString()); // named as the user typed it
            return true;
        }
        catch (ClaimsException ex)
        {
            Consoles.Fail(ex.Message);
            return false;
        }
    }
}
