"""The stream side: Faust app, tables and the aggregating agent."""
