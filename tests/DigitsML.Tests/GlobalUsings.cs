// GlobalUsings.cs — namespaces every test file uses: NUnit, the real Microsoft.ML, and the shared test files.
global using DigitsML.Testing;
global using Microsoft.ML;
global using Microsoft.ML.Data;
global using Microsoft.ML.Transforms;
global using NUnit.Framework;
