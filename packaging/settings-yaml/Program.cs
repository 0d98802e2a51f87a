using HaManager.Cluster.Settings;
using HaManager.Packaging.SettingsYaml;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

// Usage: settings-yaml OUTPUT_FILE — writes the packaged /etc/hamanager/hamanager.yaml.
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: settings-yaml OUTPUT_FILE");
    return 2;
}

try
{
    var yaml = SettingsYamlWriter.Write(new HaManagerSettings(), Descriptions.All);
    // Round trip: the file as written, with node.address set, must load as the defaults do.
    var parsed = SettingsLoader.Parse(yaml.Replace("  address: \"\"", "  address: 192.0.2.1", StringComparison.Ordinal), args[0]);
    if (parsed.Node.Address != "192.0.2.1") throw new InvalidOperationException("node.address is not an active setting in the written file");
    // Every commented-out default, uncommented, must load to exactly the built-in defaults.
    var uncommented = SettingsYamlWriter.Uncomment(yaml);
    var serializer = new SerializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build();
    var expected = serializer.Serialize(new HaManagerSettings());
    var actual = serializer.Serialize(SettingsLoader.Parse(uncommented, args[0] + " (uncommented)"));
    if (actual != expected) throw new InvalidOperationException($"the commented defaults differ from the built-in ones:\n{actual}\nexpected:\n{expected}");
    File.WriteAllText(args[0], yaml);
    return 0;
}
catch (Exception e) when (e is InvalidOperationException or SettingsException or IOException)
{
    Console.Error.WriteLine($"settings-yaml: {e.Message}");
    return 1;
}
