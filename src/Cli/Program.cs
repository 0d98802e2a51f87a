using HaManager.Cli;

return await HaManagerCli.InvokeAsync(args);
