"""Drawn figures of the exercises: poses as data measured into a body, set in a scene with its
props, and drawn as SVG or as dots in the terminal. Imports no Textual."""
