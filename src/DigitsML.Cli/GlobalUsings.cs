// GlobalUsings.cs — the ML.NET namespaces every command uses.
global using Microsoft.ML;
global using Microsoft.ML.Data;
global using Microsoft.ML.Transforms;
