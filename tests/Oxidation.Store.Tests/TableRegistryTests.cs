namespace Oxidation.Store.Tests;

/// <summary>The table registry is the one declaration of the schema: what DuckDB creates and what the docs list follow it.</summary>
public sealed class TableRegistryTests
{
    [Fact]
    public void The_created_schema_is_the_registry_column_for_column()
    {
        var dir = Directory.CreateTempSubdirectory("oxidation-registry-");
        try
        {
            using var db = OxidationDatabase.Open(Path.Combine(dir.FullName, "r.duckdb"));
            var created = db.Query("""
                SELECT table_name, column_name, data_type FROM information_schema.columns
                WHERE table_schema = 'main' ORDER BY table_name, ordinal_position
                """).Select(r => $"{r[0]}.{r[1]} {r[2]}").ToList();
            var declared = TableRegistry.All.OrderBy(t => t.Name, StringComparer.Ordinal)
                .SelectMany(t => t.Columns.Select(c => $"{t.Name}.{c.Name} {c.Type}")).ToList();
            Assert.Equal(declared, created);
            // 35 tables: meta, 21 of a scan, 6 of an import, two caches (classifications, file results), 5 of a history.
            Assert.Equal(35, TableRegistry.All.Count);
            Assert.Equal([1, 21, 6, 2, 5], Enum.GetValues<TableGroup>().Select(g => TableRegistry.Names(g).Length));
            // Primary keys as before the registry: meta's key and releases' release.
            Assert.Equal(["meta PRIMARY KEY(\"key\")", "releases PRIMARY KEY(\"release\")"],
                db.Query("SELECT table_name, constraint_text FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY' ORDER BY table_name")
                    .Select(r => $"{r[0]} {r[1]}"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Every_scan_table_of_the_registry_has_one_writer_and_no_writer_writes_an_undeclared_table()
    {
        // ScanStore writes the registry's scan tables through a map keyed by table name; a table declared without a
        // writer would stay empty after every scan.
        Assert.True(ScanStore.CheckWriters());
        Assert.Equal("releases", TableRegistry.Names(TableGroup.Scan)[0]);
    }

    [Fact]
    public void Keys_name_declared_columns()
    {
        foreach (var t in TableRegistry.All)
            Assert.All(t.Key, k => Assert.Contains(k, t.Columns.Select(c => c.Name)));
    }

    [Fact]
    public void Docs_database_md_lists_the_registry()
    {
        var path = Path.Combine(RepositoryRoot(), "docs", "database.md");
        const string Start = "<!-- tables: generated from TableRegistry.Markdown() -->\n", End = "<!-- end of tables -->";
        var text = File.ReadAllText(path);
        var a = text.IndexOf(Start, StringComparison.Ordinal);
        var b = text.IndexOf(End, StringComparison.Ordinal);
        Assert.True(a >= 0 && b > a, $"{path}: the generated table list's markers are missing");
        var expected = text[..(a + Start.Length)] + TableRegistry.Markdown() + text[b..];
        if (Environment.GetEnvironmentVariable("UPDATE_DOCS") == "1")
            File.WriteAllText(path, expected);
        else
            Assert.True(expected == text, "docs/database.md lists other tables or columns than TableRegistry: rewrite it with UPDATE_DOCS=1 and review the diff");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Oxidation.slnx")))
                return dir.FullName;
        }
        throw new DirectoryNotFoundException("Oxidation.slnx not found above " + AppContext.BaseDirectory);
    }
}
