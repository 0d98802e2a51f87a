using HaManager.LabClient;

// A database client for the lab: it runs inside a node namespace (the test host cannot reach lab
// addresses) and records exactly which writes were acknowledged, so tests and benchmarks can check
// that none of them is lost across a failover. `page` watches the status page in a real browser.
return args switch
{
    ["write", var connection, var ackFile, var stopFile, var maxSeconds] => await Writer.RunAsync(connection, ackFile, stopFile, int.Parse(maxSeconds, System.Globalization.CultureInfo.InvariantCulture)),
    ["verify", var connection, var ackFile] => await Verifier.RunAsync(connection, ackFile),
    ["exec", var connection, var sql] => await Verifier.ExecAsync(connection, sql),
    ["page", var url, var outDir, var stopFile, var maxSeconds] => await StatusPageObserver.RunAsync(url, outDir, stopFile, int.Parse(maxSeconds, System.Globalization.CultureInfo.InvariantCulture)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: labclient write CONN ACKFILE STOPFILE MAXSECONDS | verify CONN ACKFILE | exec CONN SQL | page URL OUTDIR STOPFILE MAXSECONDS   (password from PGPASSWORD)");
    return 2;
}
