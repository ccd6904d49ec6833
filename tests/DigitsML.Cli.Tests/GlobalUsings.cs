// GlobalUsings.cs — namespaces every test file uses.
global using DigitsML.Testing;
global using Microsoft.ML;
global using Microsoft.ML.Data;
global using NUnit.Framework;
global using DigitsML;
