using System.CommandLine;
using System.Reflection;
using Oxidation.Store;

namespace Oxidation.Cli;

/// <summary>What <c>oxidation export</c> was asked to do.</summary>
internal sealed record ExportCommandOptions(FileInfo Database, ExportOptions Export);

/// <summary><c>oxidation export</c> and <c>merge</c>: tables out as Parquet/CSV, databases and exports combined.</summary>
internal static class ExportCommands
{
    /// <summary>The tool's version, written into manifests.</summary>
    public static string ToolVersion { get; } =
        typeof(ExportCommands).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";

    public static Command Export()
    {
        var format = new Option<string>("--format") { Description = "parquet (typed; what DuckDB, Spark and Trino read) or csv", DefaultValueFactory = _ => "parquet" };
        // One line, like every error (System.CommandLine's own list of choices spans three).
        format.Validators.Add(result =>
        {
            var value = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "parquet";
            if (value is not ("parquet" or "csv"))
                result.AddError($"--format {value}: must be parquet or csv");
        });
        var output = new Option<DirectoryInfo>("--out", "-o") { Description = "Directory to write one file per table and manifest.json into (new or empty)", Required = true };
        var tables = new Option<string?>("--tables") { Description = "Only these tables, comma-separated (meta is always written)" };
        var force = new Option<bool>("--force") { Description = "Write into a directory that is not empty, replacing its export files" };
        var command = new Command("export", "Export every table as Parquet or CSV (DuckDB's COPY) with manifest.json: schema, tool version, releases, CVE snapshot, rows and column types") { format, output, tables, force };
        command.SetAction(parse =>
        {
            var named = parse.GetValue(tables)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var options = new ExportCommandOptions(parse.GetValue(CommandLine.Database)!, new ExportOptions(
                parse.GetValue(output)!.FullName, parse.GetValue(format) == "csv" ? ExportFormat.Csv : ExportFormat.Parquet, named, parse.GetValue(force), ToolVersion));
            return Run(options);
        });
        return command;
    }

    public static int Run(ExportCommandOptions options)
    {
        var start = System.Diagnostics.Stopwatch.StartNew();
        ExportManifest manifest;
        try
        {
            manifest = Exporter.Export(options.Database.FullName, options.Export);
        }
        catch (ExportOutputException ex)
        {
            Consoles.Fail(ex.Message);
            return ExitCodes.BadInput;
        }
        catch (StoreException ex)
        {
            Consoles.Fail(ex.Message);
            return ExitCodes.Database;
        }
        Console.Out.WriteLine($"Exported {manifest.Tables.Count} tables ({manifest.Tables.Sum(t => t.Rows):N0} rows; releases {(manifest.Releases.Count == 0 ? "none" : string.Join(", ", manifest.Releases))}; CVE snapshot {manifest.CveFingerprint ?? "none"}) to {options.Export.Directory} in {start.Elapsed.TotalSeconds:F1} s.");
        return ExitCodes.Ok;
    }

    public static Command Merge()
    {
        var output = new Argument<FileInfo>("out") { Description = "The new database to write" };
        var inputs = new Argument<string[]>("inputs") { Description = "Databases and export directories to combine", Arity = ArgumentArity.OneOrMore };
        var command = new Command("merge", "Combine databases and Parquet exports made on different machines into a new database, in one transaction; conflicting rows are refused") { output, inputs };
        command.SetAction(parse => RunMerge(new MergeOptions(parse.GetValue(output)!.FullName, parse.GetValue(inputs)!, ToolVersion)));
        return command;
    }

    public static int RunMerge(MergeOptions options)
    {
        var start = System.Diagnostics.Stopwatch.StartNew();
        MergeResult result;
        try
        {
            result = Merger.Merge(options);
        }
        catch (MergeInputException ex)
        {
            Consoles.Fail(ex.Message);
            return ExitCodes.BadInput;
        }
        catch (ExportOutputException ex)
        {
            Consoles.Fail(ex.Message);
            return ExitCodes.BadInput;
        }
        catch (StoreException ex)
        {
            Consoles.Fail(ex.Message);
            return ExitCodes.Database;
        }
        Console.Out.WriteLine($"Merged {options.Inputs.Count} inputs into {options.Output} in {start.Elapsed.TotalSeconds:F1} s: releases {(result.Releases.Count == 0 ? "none" : string.Join(", ", result.Releases))}; CVE snapshot {result.CveFingerprint ?? "none"}; history {result.HistoryRepository ?? "none"}; {result.Rows.Values.Sum():N0} rows.");
        return ExitCodes.Ok;
    }
}
